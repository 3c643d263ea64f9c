using Okr.Core.Scoring;

namespace Okr.Core.Alignment;

/// <summary>
/// The progress of every key result and objective of an <see cref="AlignmentGraph"/>, as computed by
/// <see cref="AlignmentGraph.Rollup(OkrScoring, ReadOnlySpan{decimal?})"/>. Immutable:
/// <see cref="Update"/> returns a new roll-up and leaves this one unchanged.
/// </summary>
public sealed class AlignmentRollup
{
    private readonly double[] _objectives;
    private readonly double[] _keyResults;
    private readonly AlignmentGraph.Overlay _overlay;

    internal AlignmentRollup(AlignmentGraph graph, OkrScoring scoring, double[] objectives, double[] keyResults, AlignmentGraph.Overlay? overlay = null)
    {
        Graph = graph;
        Scoring = scoring;
        _objectives = objectives;
        _keyResults = keyResults;
        _overlay = overlay ?? AlignmentGraph.Overlay.Empty;
    }

    /// <summary>The graph this roll-up belongs to.</summary>
    public AlignmentGraph Graph { get; }

    /// <summary>The policies it was computed with.</summary>
    public OkrScoring Scoring { get; }

    /// <summary>How many objectives and key results were changed by updates since the full roll-up.</summary>
    public int UpdatedCount => _overlay.Objectives.Count + _overlay.KeyResults.Count;

    /// <summary>An objective's progress, or null for no data.</summary>
    /// <param name="id">The objective.</param>
    /// <returns>The progress.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such objective.</exception>
    public double? Progress(ObjectiveId id)
    {
        var i = Graph.NodeOf(id);
        var p = _overlay.Objective(i) ?? _objectives[i];
        return double.IsNaN(p) ? null : p;
    }

    /// <summary>A key result's progress (from its score, or from the objectives aligned to it), or null for no data.</summary>
    /// <param name="id">The key result.</param>
    /// <returns>The progress.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such key result.</exception>
    public double? Progress(KeyResultId id)
    {
        var k = Graph.KeyResultNode(id, out _);
        var p = _overlay.KeyResult(k) ?? _keyResults[k];
        return double.IsNaN(p) ? null : p;
    }

    /// <summary>
    /// An objective's progress with its parts, as <see cref="OkrScoring.Evaluate"/> describes it: the one engine behind
    /// summaries, statuses, reports and closes, held equal to <see cref="OkrScoring.Evaluate"/> by a property test.
    /// </summary>
    /// <param name="id">The objective.</param>
    /// <param name="valueOf">The value in force of its measured key results (the values the roll-up was computed from), for their scores.</param>
    /// <param name="calculator">A calculator of this roll-up's graph and scoring to reuse across calls (one per thread), or null.</param>
    /// <returns>The progress.</returns>
    internal ObjectiveProgress Describe(ObjectiveId id, Func<KeyResultId, decimal?> valueOf, AlignmentGraph.Calculator? calculator = null)
    {
        var graph = Graph;
        var i = graph.NodeOf(id);
        var objective = graph.Objectives[i];
        var first = graph.FirstKeyResult(i);
        var held = objective.KeyResultArray;
        var values = new decimal?[held.Length];
        for (var m = 0; m < values.Length; m++)
        {
            values[m] = held[m].ProgressSource == ProgressSource.FromAlignedObjectives ? null : valueOf(held[m].Id);
        }

        return DescribeNode(i, values.AsSpan(), -first, calculator ?? NewCalculator());
    }

    /// <summary>
    /// <see cref="Describe"/> by graph node, with the values by graph key result index (<paramref name="values"/>
    /// indexed from <paramref name="offset"/>: the node's first key result is at <c>FirstKeyResult(i) + offset</c>):
    /// what a summary uses for every node of a graph, without looking ids up again.
    /// </summary>
    /// <param name="i">The node.</param>
    /// <param name="values">The values in force.</param>
    /// <param name="offset">Where the graph's key result indexes start in <paramref name="values"/>.</param>
    /// <param name="calculator">A calculator of this roll-up's graph and scoring.</param>
    /// <returns>The progress.</returns>
    internal ObjectiveProgress DescribeNode(int i, ReadOnlySpan<decimal?> values, int offset, AlignmentGraph.Calculator calculator)
    {
        var graph = Graph;
        var objective = graph.Objectives[i];
        var held = objective.KeyResultArray;
        var krs = new KeyResultProgress[held.Length];
        var first = graph.FirstKeyResult(i);
        var overlaid = !_overlay.IsEmpty;
        for (var m = 0; m < krs.Length; m++)
        {
            var kr = held[m];
            if (kr.ProgressSource == ProgressSource.FromAlignedObjectives)
            {
                krs[m] = new KeyResultProgress(kr, null, Nullable((overlaid ? _overlay.KeyResult(first + m) : null) ?? _keyResults[first + m]));
            }
            else
            {
                var score = Scoring.ScoreKeyResult(kr, values[first + m + offset]);
                krs[m] = new KeyResultProgress(kr, score, score?.Progress);
            }
        }

        var (fromKeyResults, fromChildren) = calculator.Parts(i, _keyResults, _objectives, _overlay);
        var progress = (overlaid ? _overlay.Objective(i) : null) ?? _objectives[i];
        return new ObjectiveProgress(objective, Nullable(progress), Nullable(fromKeyResults), Nullable(fromChildren), krs);
    }

    /// <summary>A calculator for <see cref="Describe"/> to reuse.</summary>
    internal AlignmentGraph.Calculator NewCalculator() => new(Graph, Scoring);

    private static double? Nullable(double progress) => double.IsNaN(progress) ? null : progress;

    /// <summary>
    /// Returns the roll-up after one key result's value changed (a check-in, or a correction),
    /// recomputing only that key result's objective and its ancestors, and stopping early where a
    /// progress does not change. Allocates in proportion to the objectives recomputed, not to the graph.
    /// </summary>
    /// <param name="keyResult">The key result whose value changed.</param>
    /// <param name="value">Its new value in force, or null for no data.</param>
    /// <returns>The new roll-up; this one is unchanged.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such key result.</exception>
    public AlignmentRollup Update(KeyResultId keyResult, decimal? value)
    {
        var graph = Graph;
        var k = graph.KeyResultNode(keyResult, out var owner);
        var work = new AlignmentGraph.Overlay(_overlay.Objectives, _overlay.KeyResults);
        work.SetKeyResult(k, AlignmentGraph.Measured(Scoring, graph.KeyResults[k], value));
        graph.Propagate(owner, Scoring, _objectives, _keyResults, work);
        return new AlignmentRollup(graph, Scoring, _objectives, _keyResults, work.Commit());
    }
}
