using System.Collections.Immutable;
using Okr.Core.Scoring;

namespace Okr.Core.Alignment;

public sealed partial class AlignmentGraph
{
    /// <summary>
    /// Computes the progress of every key result and objective of the graph, children before parents,
    /// in O(V + E) with the given policies. Gives exactly what <see cref="OkrScoring.Evaluate"/> gives
    /// for each objective when fed its children's progress.
    /// </summary>
    /// <param name="scoring">The scoring and roll-up policies.</param>
    /// <param name="values">The value in force of each key result, in the order of <see cref="KeyResults"/>; null for no data.</param>
    /// <returns>The roll-up.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not have one entry per key result.</exception>
    public AlignmentRollup Rollup(OkrScoring scoring, ReadOnlySpan<decimal?> values)
    {
        ArgumentNullException.ThrowIfNull(scoring);
        if (values.Length != _keyResults.Length)
        {
            throw new ArgumentException($"Expected {_keyResults.Length} values (one per key result, in graph order), got {values.Length}.", nameof(values));
        }

        var krProgress = new double[_keyResults.Length];
        for (var k = 0; k < krProgress.Length; k++)
        {
            krProgress[k] = Measured(scoring, _keyResults[k], values[k]);
        }

        var objectiveProgress = new double[_objectives.Length];
        var calculator = new Calculator(this, scoring);
        foreach (var i in _order)
        {
            objectiveProgress[i] = calculator.Objective(i, krProgress, objectiveProgress, null);
        }

        return new AlignmentRollup(this, scoring, objectiveProgress, krProgress);
    }

    /// <summary>Computes the whole roll-up from values by key result id (see <see cref="Rollup(OkrScoring, ReadOnlySpan{decimal?})"/>).</summary>
    /// <param name="scoring">The scoring and roll-up policies.</param>
    /// <param name="values">The value in force of key results; missing ones have no data.</param>
    /// <returns>The roll-up.</returns>
    public AlignmentRollup Rollup(OkrScoring scoring, IReadOnlyDictionary<KeyResultId, decimal> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var byIndex = new decimal?[_keyResults.Length];
        for (var k = 0; k < byIndex.Length; k++)
        {
            byIndex[k] = values.TryGetValue(_keyResults[k].Id, out var v) ? v : null;
        }

        return Rollup(scoring, byIndex);
    }

    /// <summary>The progress of a measured key result for a value, NaN for no data (derived key results are filled by their objective).</summary>
    internal static double Measured(OkrScoring scoring, KeyResult kr, decimal? value) =>
        kr.ProgressSource == ProgressSource.Measured && value is { } v ? scoring.Policy.Score(kr, v).Progress : double.NaN;

    /// <summary>
    /// Computes one objective from its key results' and children's progress. NaN stands for "no data"
    /// in the arrays. Mirrors <see cref="OkrScoring.Evaluate"/> step for step, so both give the same doubles.
    /// </summary>
    internal sealed class Calculator(AlignmentGraph graph, OkrScoring scoring)
    {
        private readonly IRollupPolicy _rollup = scoring.Rollup;
        private readonly double _share = scoring.Source.KeyResultShare;
        private RollupItem[] _items = new RollupItem[16];
        private RollupItem[] _children = new RollupItem[16];

        /// <summary>Reads overlay values first when given (incremental updates), the arrays otherwise.</summary>
        public double Objective(int i, double[] krProgress, double[] objectiveProgress, Overlay? overlay)
        {
            var g = graph;
            var first = g._krStart[i];
            var count = g._krStart[i + 1] - first;
            Ensure(ref _items, count);
            var own = 0;
            for (var m = 0; m < count; m++)
            {
                var k = first + m;
                var kr = g._keyResults[k];
                double progress;
                if (kr.ProgressSource == ProgressSource.FromAlignedObjectives)
                {
                    progress = Children(i, m, objectiveProgress, overlay, out _);
                    if (overlay is null)
                    {
                        krProgress[k] = progress;
                    }
                    else
                    {
                        overlay.SetKeyResult(k, progress);
                    }
                }
                else
                {
                    progress = overlay?.KeyResult(k) ?? krProgress[k];
                }

                if (!kr.IsCancelled)
                {
                    _items[own++] = new RollupItem(ToNullable(progress), kr.Weight);
                }
            }

            var fromKeyResults = Combine(_items.AsSpan(0, own));
            if (_share == 1.0 && own > 0)
            {
                return fromKeyResults;
            }

            // A side with nothing on it at all lets the other side stand alone (see RollupSource).
            var fromChildren = Children(i, -1, objectiveProgress, overlay, out var direct);
            if (direct == 0 || (own > 0 && _share == 1.0))
            {
                return fromKeyResults;
            }

            if (own == 0 || _share == 0.0)
            {
                return fromChildren;
            }

            Span<RollupItem> blend = [new RollupItem(ToNullable(fromKeyResults), _share), new RollupItem(ToNullable(fromChildren), 1 - _share)];
            return Combine(blend);
        }

        /// <summary>
        /// The parts of objective <paramref name="i"/>'s progress, for <see cref="ObjectiveProgress"/>: the roll-up of its
        /// non-cancelled key results and that of the children aligned to the objective itself (NaN for no data).
        /// </summary>
        public (double FromKeyResults, double FromChildren) Parts(int i, double[] krProgress, double[] objectiveProgress, Overlay? overlay)
        {
            var g = graph;
            var first = g._krStart[i];
            var count = g._krStart[i + 1] - first;
            Ensure(ref _items, count);
            var own = 0;
            for (var m = 0; m < count; m++)
            {
                var kr = g._keyResults[first + m];
                if (!kr.IsCancelled)
                {
                    _items[own++] = new RollupItem(ToNullable(overlay?.KeyResult(first + m) ?? krProgress[first + m]), kr.Weight);
                }
            }

            var fromKeyResults = Combine(_items.AsSpan(0, own));
            return (fromKeyResults, Children(i, -1, objectiveProgress, overlay, out _));
        }

        /// <summary>The roll-up of the counted children linked to local key result <paramref name="localKr"/> (-1: to the objective).</summary>
        private double Children(int i, int localKr, double[] objectiveProgress, Overlay? overlay, out int counted)
        {
            var g = graph;
            counted = 0;
            var start = g._childStart[i];
            Ensure(ref _children, g._childStart[i + 1] - start);
            for (var e = start; e < g._childStart[i + 1]; e++)
            {
                if (g._childCounts[e] && g._childKr[e] == localKr)
                {
                    var c = g._childNode[e];
                    _children[counted++] = new RollupItem(ToNullable(overlay?.Objective(c) ?? objectiveProgress[c]), g._childWeight[e]);
                }
            }

            return Combine(_children.AsSpan(0, counted));
        }

        private double Combine(ReadOnlySpan<RollupItem> items)
        {
            var result = _rollup switch
            {
                WeightedMeanRollup mean => mean.Combine(items),
                WeakestRollup weakest => weakest.Combine(items),
                var other => other.Combine(items.ToArray()),
            };
            return result ?? double.NaN;
        }

        private static double? ToNullable(double progress) => double.IsNaN(progress) ? null : progress;

        private static void Ensure(ref RollupItem[] buffer, int size)
        {
            if (buffer.Length < size)
            {
                buffer = new RollupItem[Math.Max(size, buffer.Length * 2)];
            }
        }
    }

    /// <summary>Changes made by incremental updates, over the arrays of the full roll-up they started from.</summary>
    internal sealed class Overlay(ImmutableDictionary<int, double> objectives, ImmutableDictionary<int, double> keyResults)
    {
        private readonly Dictionary<int, double> _pendingObjectives = [];
        private readonly Dictionary<int, double> _pendingKeyResults = [];

        public static Overlay Empty { get; } = new(ImmutableDictionary<int, double>.Empty, ImmutableDictionary<int, double>.Empty);

        public ImmutableDictionary<int, double> Objectives => objectives;

        public ImmutableDictionary<int, double> KeyResults => keyResults;

        /// <summary>Whether the overlay changes nothing (a full roll-up's): its lookups can be skipped.</summary>
        public bool IsEmpty => _pendingObjectives.Count == 0 && _pendingKeyResults.Count == 0 && objectives.IsEmpty && keyResults.IsEmpty;

        public double? Objective(int i) =>
            _pendingObjectives.Count != 0 && _pendingObjectives.TryGetValue(i, out var p) ? p : !objectives.IsEmpty && objectives.TryGetValue(i, out var o) ? o : null;

        public double? KeyResult(int k) =>
            _pendingKeyResults.Count != 0 && _pendingKeyResults.TryGetValue(k, out var p) ? p : !keyResults.IsEmpty && keyResults.TryGetValue(k, out var o) ? o : null;

        public void SetObjective(int i, double progress) => _pendingObjectives[i] = progress;

        public void SetKeyResult(int k, double progress) => _pendingKeyResults[k] = progress;

        public Overlay Commit() => new(objectives.SetItems(_pendingObjectives), keyResults.SetItems(_pendingKeyResults));
    }
}

public sealed partial class AlignmentGraph
{
    internal int NodeOf(ObjectiveId id) => Node(id);

    /// <summary>The graph index of node <paramref name="i"/>'s first key result.</summary>
    internal int FirstKeyResult(int i) => _krStart[i];

    /// <summary>Recomputes <paramref name="start"/> and then, bottom-up, each ancestor whose input changed.</summary>
    internal void Propagate(int start, OkrScoring scoring, double[] objectives, double[] keyResults, Overlay overlay)
    {
        var calculator = new Calculator(this, scoring);
        var queue = new PriorityQueue<int, int>();
        var queued = new HashSet<int> { start };
        queue.Enqueue(start, _rank[start]);
        while (queue.TryDequeue(out var i, out _))
        {
            var before = overlay.Objective(i) ?? objectives[i];
            var after = calculator.Objective(i, keyResults, objectives, overlay);
            if (before.Equals(after))
            {
                continue;   // nothing above can change through this objective
            }

            overlay.SetObjective(i, after);
            for (var e = _parentStart[i]; e < _parentStart[i + 1]; e++)
            {
                var p = _parentNode[e];
                if (queued.Add(p))
                {
                    queue.Enqueue(p, _rank[p]);
                }
            }
        }
    }
}
