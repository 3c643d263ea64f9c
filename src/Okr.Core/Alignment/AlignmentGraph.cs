using Okr.Core.Scoring;

namespace Okr.Core.Alignment;

/// <summary>
/// An immutable snapshot of the alignment links between a set of objectives (one period or several),
/// in compact arrays: child and parent adjacency in CSR form, the key results in one flat array, and a
/// topological order. Roll-up of the whole graph is O(V + E); after one check-in,
/// <see cref="AlignmentRollup.Update"/> recomputes only the ancestors.
/// </summary>
/// <remarks>
/// <para>An edge runs from a child objective to a parent objective of the set for each of the child's
/// <see cref="Objective.Alignments"/>; links to objectives outside the set are kept on the objective
/// but are not edges. Building fails with <see cref="OkrErrorCodes.AlignmentCycle"/> and the cycle's
/// path when the links form a cycle.</para>
/// <para>Thread-safe: every member may be called concurrently.</para>
/// </remarks>
public sealed partial class AlignmentGraph
{
    private readonly Objective[] _objectives;
    private readonly Dictionary<ObjectiveId, int> _index;

    // Key results of node i are _keyResults[_krStart[i] .. _krStart[i + 1]).
    private readonly int[] _krStart;
    private readonly KeyResult[] _keyResults;

    // Child edges of node i are [_childStart[i] .. _childStart[i + 1]): child node, link weight,
    // the parent's local key result index the link targets (-1: the objective itself), and whether it counts.
    private readonly int[] _childStart;
    private readonly int[] _childNode;
    private readonly double[] _childWeight;
    private readonly int[] _childKr;
    private readonly bool[] _childCounts;

    // Parent edges of node i are [_parentStart[i] .. _parentStart[i + 1]).
    private readonly int[] _parentStart;
    private readonly int[] _parentNode;

    // Children before parents; _rank[i] is i's position in _order.
    private readonly int[] _order;
    private readonly int[] _rank;

    // Built on the first incremental update only: a graph that is never updated never pays for it.
    private Dictionary<KeyResultId, int>? _keyResultIndex;

    private AlignmentGraph(
        Objective[] objectives,
        Dictionary<ObjectiveId, int> index,
        int[] krStart,
        KeyResult[] keyResults,
        (int[] Start, int[] Node, double[] Weight, int[] Kr, bool[] Counts) children,
        (int[] Start, int[] Node) parents,
        int[] order)
    {
        _objectives = objectives;
        _index = index;
        _krStart = krStart;
        _keyResults = keyResults;
        (_childStart, _childNode, _childWeight, _childKr, _childCounts) = children;
        (_parentStart, _parentNode) = parents;
        _order = order;
        _rank = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            _rank[order[i]] = i;
        }
    }

    /// <summary>The number of objectives.</summary>
    public int ObjectiveCount => _objectives.Length;

    /// <summary>The number of key results of all objectives.</summary>
    public int KeyResultCount => _keyResults.Length;

    /// <summary>The number of edges (links between objectives of the set).</summary>
    public int EdgeCount => _childNode.Length;

    /// <summary>The objectives, in the order they were given.</summary>
    public IReadOnlyList<Objective> Objectives => _objectives;

    /// <summary>
    /// The key results of all objectives in graph order: those of the first objective, then the second,
    /// and so on. <see cref="Rollup(OkrScoring, ReadOnlySpan{decimal?})"/> takes values in this order.
    /// </summary>
    public IReadOnlyList<KeyResult> KeyResults => _keyResults;

    /// <summary>Builds the graph from a set of objectives.</summary>
    /// <param name="objectives">The objectives; ids must be unique.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="OkrValidationException">An id appears twice, or the links form a cycle (the path is in the message).</exception>
    public static AlignmentGraph Build(IEnumerable<Objective> objectives)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        var nodes = objectives as Objective[] ?? objectives.ToArray();
        var n = nodes.Length;
        var index = new Dictionary<ObjectiveId, int>(n);
        var krTotal = 0;
        for (var i = 0; i < n; i++)
        {
            ArgumentNullException.ThrowIfNull(nodes[i], nameof(objectives));
            if (!index.TryAdd(nodes[i].Id, i))
            {
                throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, $"[{i}]", $"Objective {nodes[i].Id} appears more than once.")]);
            }

            krTotal += nodes[i].KeyResultArray.Length;
        }

        var krStart = new int[n + 1];
        var keyResults = new KeyResult[krTotal];
        for (var i = 0; i < n; i++)
        {
            var krs = nodes[i].KeyResultArray;
            krStart[i + 1] = krStart[i] + krs.Length;
            for (var k = 0; k < krs.Length; k++)
            {
                keyResults[krStart[i] + k] = krs[k];
            }
        }

        // Count edges per parent and per child, then fill both CSR arrays in input order.
        var childCount = new int[n + 1];
        var parentCount = new int[n + 1];
        var edges = 0;
        for (var c = 0; c < n; c++)
        {
            foreach (var link in nodes[c].AlignmentArray)
            {
                if (index.TryGetValue(link.ParentObjectiveId, out var p))
                {
                    childCount[p + 1]++;
                    parentCount[c + 1]++;
                    edges++;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            childCount[i + 1] += childCount[i];
            parentCount[i + 1] += parentCount[i];
        }

        var childNode = new int[edges];
        var childWeight = new double[edges];
        var childKr = new int[edges];
        var childCounts = new bool[edges];
        var parentNode = new int[edges];
        var childFill = (int[])childCount.Clone();
        var parentFill = (int[])parentCount.Clone();
        for (var c = 0; c < n; c++)
        {
            foreach (var link in nodes[c].AlignmentArray)
            {
                if (!index.TryGetValue(link.ParentObjectiveId, out var p))
                {
                    continue;
                }

                var e = childFill[p]++;
                childNode[e] = c;
                childWeight[e] = link.Weight;
                childKr[e] = link.ParentKeyResultId is { } kr ? LocalIndex(nodes[p], kr) : -1;
                childCounts[e] = link.Kind == AlignmentKind.Contributes && nodes[c].State != ObjectiveState.Cancelled;
                parentNode[parentFill[c]++] = p;
            }
        }

        var order = TopologicalOrder(nodes, childCount, childNode, parentCount, parentNode);
        return new AlignmentGraph(nodes, index, krStart, keyResults, (childCount, childNode, childWeight, childKr, childCounts), (parentCount, parentNode), order);
    }

    /// <summary>The objectives children first: every objective comes after all objectives aligned to it.</summary>
    internal IEnumerable<Objective> ChildrenFirst() => _order.Select(i => _objectives[i]);

    /// <summary>The nodes, children before parents (the order the roll-up computes them in).</summary>
    internal ReadOnlySpan<int> ChildrenFirstNodes => _order;

    /// <summary>Whether the graph holds an objective.</summary>
    /// <param name="id">The objective's id.</param>
    /// <returns>True when it is in the graph.</returns>
    public bool Contains(ObjectiveId id) => _index.ContainsKey(id);

    /// <summary>The objective with an id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such objective.</exception>
    public Objective this[ObjectiveId id] => _objectives[Node(id)];

    /// <summary>Kahn's algorithm from the leaves (objectives nobody aligns to) upwards; throws with a cycle's path when one exists.</summary>
    private static int[] TopologicalOrder(Objective[] nodes, int[] childStart, int[] childNode, int[] parentStart, int[] parentNode)
    {
        var n = nodes.Length;
        var pendingChildren = new int[n];
        var order = new int[n];
        var head = 0;
        var tail = 0;
        for (var i = 0; i < n; i++)
        {
            pendingChildren[i] = childStart[i + 1] - childStart[i];
            if (pendingChildren[i] == 0)
            {
                order[tail++] = i;
            }
        }

        while (head < tail)
        {
            var c = order[head++];
            for (var e = parentStart[c]; e < parentStart[c + 1]; e++)
            {
                var p = parentNode[e];
                if (--pendingChildren[p] == 0)
                {
                    order[tail++] = p;
                }
            }
        }

        if (tail < n)
        {
            var start = Array.FindIndex(pendingChildren, x => x > 0);
            throw CycleError(FindCycle(nodes, start, childStart, childNode, pendingChildren));
        }

        return order;
    }

    /// <summary>Walks down child edges among the nodes left over by Kahn's algorithm until a node repeats.</summary>
    private static List<ObjectiveId> FindCycle(Objective[] nodes, int start, int[] childStart, int[] childNode, int[] pending)
    {
        var seenAt = new Dictionary<int, int>();
        var walk = new List<int>();
        var current = start;
        while (!seenAt.ContainsKey(current))
        {
            seenAt[current] = walk.Count;
            walk.Add(current);
            for (var e = childStart[current]; e < childStart[current + 1]; e++)
            {
                if (pending[childNode[e]] > 0)
                {
                    current = childNode[e];
                    break;
                }
            }
        }

        // walk[seenAt[current]..] runs parent → child; report it child → parent, the direction of the links.
        var cycle = walk.Skip(seenAt[current]).Select(i => nodes[i].Id).Reverse().ToList();
        cycle.Add(cycle[0]);
        return cycle;
    }

    internal static OkrValidationException CycleError(IReadOnlyList<ObjectiveId> path) =>
        new([new OkrViolation(OkrErrorCodes.AlignmentCycle, nameof(Objective.Alignments), $"These alignment links would form a cycle: {string.Join(" → ", path)}.")]);

    private static int LocalIndex(Objective parent, KeyResultId kr)
    {
        var krs = parent.KeyResultArray;
        for (var k = 0; k < krs.Length; k++)
        {
            if (krs[k].Id == kr)
            {
                return k;
            }
        }

        return int.MinValue;   // a key result the parent does not have: an edge for structure, never counted
    }

    private int Node(ObjectiveId id) =>
        _index.TryGetValue(id, out var i) ? i : throw new OkrNotFoundException($"The alignment graph has no objective {id}.");

    internal int KeyResultNode(KeyResultId id, out int objective)
    {
        var index = Volatile.Read(ref _keyResultIndex) ?? Interlocked.CompareExchange(ref _keyResultIndex, BuildKeyResultIndex(), null) ?? _keyResultIndex!;
        if (!index.TryGetValue(id, out var k))
        {
            throw new OkrNotFoundException($"The alignment graph has no key result {id}.");
        }

        // The owner is the last objective whose first key result is at or before k.
        var lo = 0;
        var hi = _objectives.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >>> 1;
            if (_krStart[mid] <= k)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        objective = lo;
        return k;
    }

    private Dictionary<KeyResultId, int> BuildKeyResultIndex()
    {
        var d = new Dictionary<KeyResultId, int>(_keyResults.Length);
        for (var k = 0; k < _keyResults.Length; k++)
        {
            if (!d.TryAdd(_keyResults[k].Id, k))
            {
                throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(KeyResults), $"Key result {_keyResults[k].Id} belongs to two objectives of the graph.")]);
            }
        }

        return d;
    }
}
