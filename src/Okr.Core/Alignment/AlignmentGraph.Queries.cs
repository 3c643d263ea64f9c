namespace Okr.Core.Alignment;

public sealed partial class AlignmentGraph
{
    /// <summary>The objectives an objective aligns to, within the graph, each once.</summary>
    /// <param name="id">The objective.</param>
    /// <returns>The parents, in link order.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such objective.</exception>
    public IReadOnlyList<ObjectiveId> Parents(ObjectiveId id) => Ids(Distinct(_parentNode.AsSpan(_parentStart[Node(id)], Degree(_parentStart, Node(id)))));

    /// <summary>The objectives aligned to an objective (to it or to one of its key results), each once.</summary>
    /// <param name="id">The objective.</param>
    /// <returns>The children, in the order they were given.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such objective.</exception>
    public IReadOnlyList<ObjectiveId> Children(ObjectiveId id) => Ids(Distinct(_childNode.AsSpan(_childStart[Node(id)], Degree(_childStart, Node(id)))));

    /// <summary>Every objective reachable upwards from an objective, nearest first, each once; not the objective itself.</summary>
    /// <param name="id">The objective.</param>
    /// <returns>The ancestors in breadth-first order.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such objective.</exception>
    public IReadOnlyList<ObjectiveId> Ancestors(ObjectiveId id) => Ids(Reach(Node(id), _parentStart, _parentNode));

    /// <summary>Every objective reachable downwards from an objective, nearest first, each once; not the objective itself.</summary>
    /// <param name="id">The objective.</param>
    /// <returns>The descendants in breadth-first order.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such objective.</exception>
    public IReadOnlyList<ObjectiveId> Descendants(ObjectiveId id) => Ids(Reach(Node(id), _childStart, _childNode));

    /// <summary>The objectives with no parent in the graph (the tops of the alignment trees).</summary>
    /// <returns>The roots, in the order they were given.</returns>
    public IReadOnlyList<ObjectiveId> Roots() => Ids(Where(i => Degree(_parentStart, i) == 0));

    /// <summary>The objectives with neither a parent nor a child in the graph: aligned to nothing, and nothing aligned to them.</summary>
    /// <returns>The unaligned objectives, in the order they were given.</returns>
    public IReadOnlyList<ObjectiveId> Unaligned() => Ids(Where(i => Degree(_parentStart, i) == 0 && Degree(_childStart, i) == 0));

    /// <summary>Every path from an objective up to a root, each starting with the objective and ending with a root.</summary>
    /// <param name="id">The objective.</param>
    /// <param name="maxPaths">Stop after this many paths (diamonds multiply paths); 1000 by default.</param>
    /// <returns>The paths.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such objective.</exception>
    public IReadOnlyList<IReadOnlyList<ObjectiveId>> PathsToRoots(ObjectiveId id, int maxPaths = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPaths);
        var paths = new List<IReadOnlyList<ObjectiveId>>();
        var stack = new List<int> { Node(id) };
        Walk();
        return paths;

        void Walk()
        {
            var top = stack[^1];
            var parents = Distinct(_parentNode.AsSpan(_parentStart[top], Degree(_parentStart, top)));
            if (parents.Count == 0)
            {
                paths.Add(Ids(stack));
                return;
            }

            foreach (var p in parents)
            {
                if (paths.Count >= maxPaths)
                {
                    return;
                }

                stack.Add(p);
                Walk();
                stack.RemoveAt(stack.Count - 1);
            }
        }
    }

    /// <summary>For each owner, how many of its objectives (cancelled ones left out) have a parent in the graph.</summary>
    /// <returns>The coverage per owner, in order of first appearance.</returns>
    public IReadOnlyList<AlignmentCoverage> CoverageByOwner()
    {
        var counts = new Dictionary<OwnerRef, (int Total, int Aligned)>();
        var order = new List<OwnerRef>();
        for (var i = 0; i < _objectives.Length; i++)
        {
            var o = _objectives[i];
            if (o.State == ObjectiveState.Cancelled)
            {
                continue;
            }

            if (!counts.TryGetValue(o.Owner, out var c))
            {
                order.Add(o.Owner);
            }

            counts[o.Owner] = (c.Total + 1, c.Aligned + (Degree(_parentStart, i) > 0 ? 1 : 0));
        }

        return [.. order.Select(owner => new AlignmentCoverage(owner, counts[owner].Total, counts[owner].Aligned))];
    }

    /// <summary>
    /// The contribution of every descendant to a root: the product of the normalised weights along each
    /// path from the descendant up to the root, summed over the paths. At each parent a link's weight is
    /// normalised by the sum of the weights of the parent's counted direct links (contributing, not
    /// cancelled, to the objective itself rather than to one of its key results); other links contribute 0.
    /// </summary>
    /// <param name="root">The objective to measure contributions to.</param>
    /// <returns>Each descendant with its contribution, 0..1.</returns>
    /// <exception cref="OkrNotFoundException">The graph has no such objective.</exception>
    public IReadOnlyDictionary<ObjectiveId, double> Contributions(ObjectiveId root)
    {
        var r = Node(root);
        var descendants = Reach(r, _childStart, _childNode);

        // Top-down: every parent is final before its children are visited.
        var topDown = descendants.Append(r).OrderByDescending(i => _rank[i]).ToList();
        var share = new Dictionary<int, double> { [r] = 1.0 };
        foreach (var p in topDown)
        {
            var mine = share.GetValueOrDefault(p);
            var total = 0.0;
            for (var e = _childStart[p]; e < _childStart[p + 1]; e++)
            {
                total += IsDirectContribution(e) ? _childWeight[e] : 0;
            }

            for (var e = _childStart[p]; e < _childStart[p + 1]; e++)
            {
                if (total > 0 && IsDirectContribution(e))
                {
                    share[_childNode[e]] = share.GetValueOrDefault(_childNode[e]) + (mine * _childWeight[e] / total);
                }
            }
        }

        return descendants.ToDictionary(i => _objectives[i].Id, i => share.GetValueOrDefault(i));
    }

    /// <summary>
    /// Checks an objective's alignment links against the graph, as they would be after an edit: every
    /// parent objective and key result exists, no link closes a cycle (the path is in the message), and,
    /// when <paramref name="periods"/> is given, the objective's period lies inside each parent's.
    /// </summary>
    /// <param name="objective">The objective as it would be written (new, or an edit of one in the graph).</param>
    /// <param name="periods">Finds a period by id, to check containment; null to skip that check.</param>
    /// <returns>Every violation; empty when the links are fine.</returns>
    public IReadOnlyList<OkrViolation> CheckLinks(Objective objective, Func<PeriodId, OkrPeriod?>? periods = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var violations = new List<OkrViolation>();
        for (var l = 0; l < objective.Alignments.Count; l++)
        {
            var link = objective.Alignments[l];
            var member = $"Alignments[{l}]";
            if (!_index.TryGetValue(link.ParentObjectiveId, out var p))
            {
                violations.Add(new OkrViolation(OkrErrorCodes.AlignmentTargetMissing, member, $"The parent objective {link.ParentObjectiveId} does not exist."));
                continue;
            }

            var parent = _objectives[p];
            if (link.ParentKeyResultId is { } kr && parent.FindKeyResult(kr) is null)
            {
                violations.Add(new OkrViolation(OkrErrorCodes.AlignmentTargetMissing, member, $"Objective '{parent.Title}' has no key result {kr}."));
            }

            if (PathUp(p, objective.Id) is { } path)
            {
                path.Insert(0, objective.Id);
                violations.Add(CycleError(path).Violations[0] with { Member = member });
            }

            if (periods is not null && objective.PeriodId != parent.PeriodId
                && periods(objective.PeriodId) is { } mine && periods(parent.PeriodId) is { } theirs
                && (mine.Dates.Start < theirs.Dates.Start || mine.Dates.End > theirs.Dates.End))
            {
                violations.Add(new OkrViolation(OkrErrorCodes.AlignmentPeriod, member, $"Period '{mine.Name}' does not lie inside the parent's period '{theirs.Name}'."));
            }
        }

        return violations;
    }

    /// <summary>
    /// Returns a graph with one objective added or replaced, leaving this one unchanged.
    /// </summary>
    /// <param name="objective">The new or edited objective.</param>
    /// <returns>The new graph.</returns>
    /// <exception cref="OkrValidationException">A link would close a cycle (the path is in the message); this graph is unchanged.</exception>
    public AlignmentGraph With(Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var cycles = CheckLinks(objective).Where(v => v.Code == OkrErrorCodes.AlignmentCycle).ToList();
        if (cycles.Count > 0)
        {
            throw new OkrValidationException(cycles);
        }

        var next = (Objective[])_objectives.Clone();
        if (_index.TryGetValue(objective.Id, out var i))
        {
            next[i] = objective;
            return Build(next);
        }

        return Build(next.Append(objective));
    }

    /// <summary>A path upwards from node <paramref name="from"/> to the objective <paramref name="target"/> (both included), or null.</summary>
    private List<ObjectiveId>? PathUp(int from, ObjectiveId target)
    {
        if (_objectives[from].Id == target)
        {
            return [target];
        }

        if (!_index.TryGetValue(target, out var goal))
        {
            return null;
        }

        var cameFrom = new Dictionary<int, int> { [from] = -1 };
        var queue = new Queue<int>([from]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            for (var e = _parentStart[node]; e < _parentStart[node + 1]; e++)
            {
                var p = _parentNode[e];
                if (!cameFrom.TryAdd(p, node))
                {
                    continue;
                }

                if (p == goal)
                {
                    var path = new List<ObjectiveId>();
                    for (var at = p; at != -1; at = cameFrom[at])
                    {
                        path.Add(_objectives[at].Id);
                    }

                    path.Reverse();
                    return path;
                }

                queue.Enqueue(p);
            }
        }

        return null;
    }

    private bool IsDirectContribution(int edge) => _childCounts[edge] && _childKr[edge] == -1;

    private static int Degree(int[] start, int node) => start[node + 1] - start[node];

    private static List<int> Reach(int from, int[] start, int[] next)
    {
        var seen = new HashSet<int> { from };
        var result = new List<int>();
        for (var q = -1; q < result.Count; q++)
        {
            var node = q < 0 ? from : result[q];
            for (var e = start[node]; e < start[node + 1]; e++)
            {
                if (seen.Add(next[e]))
                {
                    result.Add(next[e]);
                }
            }
        }

        return result;
    }

    private static List<int> Distinct(ReadOnlySpan<int> nodes)
    {
        var result = new List<int>(nodes.Length);
        foreach (var n in nodes)
        {
            if (!result.Contains(n))
            {
                result.Add(n);
            }
        }

        return result;
    }

    private List<int> Where(Func<int, bool> predicate)
    {
        var result = new List<int>();
        for (var i = 0; i < _objectives.Length; i++)
        {
            if (predicate(i))
            {
                result.Add(i);
            }
        }

        return result;
    }

    private ObjectiveId[] Ids(List<int> nodes)
    {
        var ids = new ObjectiveId[nodes.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = _objectives[nodes[i]].Id;
        }

        return ids;
    }
}
