using BenchmarkDotNet.Running;
using Okr.Benchmarks;

// `--graph-memory N` prints the retained size of an AlignmentGraph of N objectives; anything else goes to BenchmarkDotNet.
if (args is ["--graph-memory", var n])
{
    GraphMemory.Report(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

// `--export-memory N` prints what a CSV check-in export of an N-objective SQLite tenant holds while it runs.
if (args is ["--export-memory", var m])
{
    ExportMemory.Report(int.Parse(m, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(EnterpriseData).Assembly).Run(args);
