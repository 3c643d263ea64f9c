using System.Globalization;
using System.Text;
using Okr.Reporting;

namespace Okr.Benchmarks;

/// <summary>
/// What a check-in export holds while it runs: the managed heap (after a full collection) sampled at every 16th flush
/// of the output, against the heap before the export, for a SQLite tenant of N objectives (32 check-ins each).
/// <c>dotnet run -c Release --project benchmarks/Okr.Benchmarks -- --export-memory 100000</c>.
/// </summary>
public static class ExportMemory
{
    public static void Report(int objectives)
    {
        using var tenant = new DashboardTenant("SQLite", objectives);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var output = new SamplingWriter();
        var rows = CsvExport.WriteCheckInsAsync(tenant.Okr, tenant.Tenant, tenant.Period, output).AsTask().GetAwaiter().GetResult();
        var peak = output.Samples.Max();
        string MiB(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
        Console.WriteLine($"objectives {objectives:N0}, check-in rows {rows:N0}, {output.Samples.Count} samples; heap before {MiB(before)} MiB; held by the export at most {MiB(peak - before)} MiB; output {MiB(output.Characters * 2)} MiB of text");
    }

    private sealed class SamplingWriter : TextWriter
    {
        private int _flushes;

        public List<long> Samples { get; } = [];

        public long Characters { get; private set; }

        public override Encoding Encoding => Encoding.UTF8;

        public override Task WriteAsync(StringBuilder? value, CancellationToken cancellationToken = default)
        {
            Characters += value?.Length ?? 0;
            if (++_flushes % 16 == 1)
            {
                Samples.Add(GC.GetTotalMemory(forceFullCollection: true));
            }

            return Task.CompletedTask;
        }
    }
}
