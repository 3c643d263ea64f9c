using BenchmarkDotNet.Attributes;
using Okr.Core;
using Okr.Core.Alignment;
using Okr.Core.Scoring;

namespace Okr.Benchmarks;

/// <summary>The policies every alignment scenario uses: linear scores, weighted mean (no data as zero), half key results and half children.</summary>
internal static class Policies
{
    public static readonly OkrScoring Blend = new(LinearScoringPolicy.Default, WeightedMeanRollup.Default, RollupSource.Blend(0.5));
}

/// <summary>Build the graph from objectives and roll up everything.</summary>
[MemoryDiagnoser]
public class BuildAndRollup
{
    private EnterpriseData _data = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup() => _data = EnterpriseData.Of(Objectives);

    [Benchmark(Baseline = true, Description = "flat arrays: CSR + Kahn + roll-up")]
    public double[] Baseline() => new FlatBaseline(_data).Rollup();

    [Benchmark(Description = "AlignmentGraph.Build + Rollup")]
    public AlignmentRollup Graph() => AlignmentGraph.Build(_data.Objectives).Rollup(Policies.Blend, _data.Values);
}

/// <summary>Roll up an already built graph.</summary>
[MemoryDiagnoser]
public class RollupOnly
{
    private EnterpriseData _data = null!;
    private FlatBaseline _flat = null!;
    private AlignmentGraph _graph = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = EnterpriseData.Of(Objectives);
        _flat = new FlatBaseline(_data);
        _graph = AlignmentGraph.Build(_data.Objectives);
    }

    [Benchmark(Baseline = true, Description = "flat arrays roll-up")]
    public double[] Baseline() => _flat.Rollup();

    [Benchmark(Description = "AlignmentGraph.Rollup")]
    public AlignmentRollup Graph() => _graph.Rollup(Policies.Blend, _data.Values);
}

/// <summary>One check-in on a leaf key result, then its objective and every ancestor recomputed.</summary>
[MemoryDiagnoser]
public class IncrementalUpdate
{
    private EnterpriseData _data = null!;
    private FlatBaseline _flat = null!;
    private double[] _flatProgress = null!;
    private AlignmentRollup _rollup = null!;
    private KeyResultId _leafKeyResult;
    private int _leafIndex;
    private readonly int[] _scratch = new int[64];
    private int _tick;

    [Params(10_000, 100_000, 1_000_000)]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = EnterpriseData.Of(Objectives);
        _flat = new FlatBaseline(_data);
        _flatProgress = _flat.Rollup();
        var graph = AlignmentGraph.Build(_data.Objectives);
        _rollup = graph.Rollup(Policies.Blend, _data.Values);

        // A key result of the deepest objective that has two parents: the most ancestors to recompute.
        var leaf = Enumerable.Range(0, Objectives).Last(i => _data.ParentB[i] >= 0);
        _leafIndex = leaf * EnterpriseData.KeyResultsPerObjective;
        _leafKeyResult = graph.KeyResults[_leafIndex].Id;
        _rollup.Update(_leafKeyResult, 50);   // builds the lazy key result index outside the measurement
    }

    [Benchmark(Baseline = true, Description = "flat arrays: ancestors recomputed in place")]
    public double[] Baseline()
    {
        _flat.Update(_flatProgress, _leafIndex, ++_tick % 100, _scratch);
        return _flatProgress;
    }

    [Benchmark(Description = "AlignmentRollup.Update (new immutable result)")]
    public AlignmentRollup Graph() => _rollup.Update(_leafKeyResult, ++_tick % 100);
}

/// <summary>The graph queries on a deep objective with two parents, and on a root.</summary>
[MemoryDiagnoser]
public class Queries
{
    private EnterpriseData _data = null!;
    private FlatBaseline _flat = null!;
    private AlignmentGraph _graph = null!;
    private ObjectiveId _leaf;
    private ObjectiveId _mid;
    private int _leafIndex;
    private int _midIndex;

    [Params(1_000_000)]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = EnterpriseData.Of(Objectives);
        _flat = new FlatBaseline(_data);
        _graph = AlignmentGraph.Build(_data.Objectives);
        _leafIndex = Enumerable.Range(0, Objectives).Last(i => _data.ParentB[i] >= 0);
        _leaf = _data.Objectives[_leafIndex].Id;
        _midIndex = Enumerable.Range(0, Objectives).First(i => _data.Level[i] == _data.Depth - 3);   // ~1 000 descendants
        _mid = _data.Objectives[_midIndex].Id;
    }

    [Benchmark(Baseline = true, Description = "flat arrays: ancestors by parent arrays")]
    public int BaselineAncestors()
    {
        Span<int> stack = stackalloc int[64];
        int count = 0, found = 0;
        stack[count++] = _leafIndex;
        while (count > 0)
        {
            var i = stack[--count];
            foreach (var p in (ReadOnlySpan<int>)[_data.ParentA[i], _data.ParentB[i]])
            {
                if (p >= 0)
                {
                    found++;
                    stack[count++] = p;
                }
            }
        }

        return found;
    }

    [Benchmark(Description = "Ancestors")]
    public IReadOnlyList<ObjectiveId> Ancestors() => _graph.Ancestors(_leaf);

    [Benchmark(Description = "PathsToRoots")]
    public int PathsToRoots() => _graph.PathsToRoots(_leaf).Count;

    [Benchmark(Description = "Descendants (~1k)")]
    public IReadOnlyList<ObjectiveId> Descendants() => _graph.Descendants(_mid);

    [Benchmark(Description = "Contributions (~1k)")]
    public int Contributions() => _graph.Contributions(_mid).Count;

    [Benchmark(Description = "Roots (scans 1M)")]
    public IReadOnlyList<ObjectiveId> Roots() => _graph.Roots();

    [Benchmark(Description = "CoverageByOwner (scans 1M)")]
    public int Coverage() => _graph.CoverageByOwner().Count;
}
