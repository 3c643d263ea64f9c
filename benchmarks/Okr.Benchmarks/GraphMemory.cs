using System.Globalization;
using Okr.Core.Alignment;

namespace Okr.Benchmarks;

/// <summary>Measures what a graph keeps alive beyond the objectives it was built from.</summary>
public static class GraphMemory
{
    public static void Report(int objectives)
    {
        var data = EnterpriseData.Of(objectives);
        var before = Settle();
        var graph = AlignmentGraph.Build(data.Objectives);
        var afterBuild = Settle();
        var rollup = graph.Rollup(Policies.Blend, data.Values);
        var afterRollup = Settle();
        rollup.Update(graph.KeyResults[0].Id, 1);
        var afterIndex = Settle();
        var units = (double)graph.ObjectiveCount + graph.KeyResultCount + graph.EdgeCount;
        string Per(long bytes) => (bytes / units).ToString("F1", CultureInfo.InvariantCulture);
        Console.WriteLine($"objectives {graph.ObjectiveCount:N0}, key results {graph.KeyResultCount:N0}, edges {graph.EdgeCount:N0}, depth {data.Depth}");
        Console.WriteLine($"graph:                 {(afterBuild - before) / 1048576.0:F1} MiB = {Per(afterBuild - before)} bytes per node (objective or key result) plus edge");
        Console.WriteLine($"roll-up result:        {(afterRollup - afterBuild) / 1048576.0:F1} MiB = {Per(afterRollup - afterBuild)} bytes per node plus edge");
        Console.WriteLine($"key result index (lazy, first update): {(afterIndex - afterRollup) / 1048576.0:F1} MiB = {Per(afterIndex - afterRollup)} bytes per node plus edge");
        GC.KeepAlive(graph);
        GC.KeepAlive(rollup);
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
