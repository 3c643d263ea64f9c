using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Okr.Core.Alignment;
using Okr.Core.Scoring;
using Okr.Testing;

namespace Okr.Core.Tests.Alignment;

public class AlignmentProperties
{
    /// <summary>The graph's roll-up equals the recursive definition built from <see cref="OkrScoring.Evaluate"/>.</summary>
    [Property(MaxTest = 300)]
    public Property Rollup_equals_the_brute_force_recursive_definition() =>
        Prop.ForAll(AlignmentGen.Dag().Zip(AlignmentGen.Scoring).ToArbitrary(), input =>
        {
            var (dag, scoring) = input;
            var rollup = AlignmentGraph.Build(dag.Objectives).Rollup(scoring, dag.Values);
            var expected = BruteForce(dag, scoring);
            return dag.Objectives.All(o => Same(expected[o.Id], rollup.Progress(o.Id)));
        });

    /// <summary>
    /// The one engine describes every objective exactly as <see cref="OkrScoring.Evaluate"/> defines it when fed its
    /// children's progress: total, both parts and every key result's score and progress. Summaries, statuses, reports
    /// and closes all read objectives through it.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Described_progress_equals_the_single_objective_definition() =>
        Prop.ForAll(AlignmentGen.Dag().Zip(AlignmentGen.Scoring).ToArbitrary(), input =>
        {
            var (dag, scoring) = input;
            var rollup = AlignmentGraph.Build(dag.Objectives).Rollup(scoring, dag.Values);
            decimal? ValueOf(KeyResultId k) => dag.Values.TryGetValue(k, out var v) ? v : null;
            return dag.Objectives.All(o =>
            {
                var children = dag.Objectives
                    .SelectMany(c => c.Alignments.Where(l => l.ParentObjectiveId == o.Id).Select(l => new ChildProgress(c, l, rollup.Progress(c.Id))))
                    .ToList();
                var expected = scoring.Evaluate(o, ValueOf, children);
                var actual = rollup.Describe(o.Id, ValueOf);
                return Same(expected.Progress, actual.Progress)
                    && Same(expected.FromKeyResults, actual.FromKeyResults)
                    && Same(expected.FromAlignedObjectives, actual.FromAlignedObjectives)
                    && expected.KeyResults.Count == actual.KeyResults.Count
                    && expected.KeyResults.Zip(actual.KeyResults).All(x => x.First.KeyResult == x.Second.KeyResult && x.First.Score == x.Second.Score && Same(x.First.Progress, x.Second.Progress));
            });
        });

    /// <summary>After any sequence of check-ins, the incremental roll-up equals a full recompute.</summary>
    [Property(MaxTest = 300)]
    public Property Incremental_updates_equal_a_full_recompute() =>
        Prop.ForAll(
            (from dag in AlignmentGen.Dag()
             from scoring in AlignmentGen.Scoring
             from changes in Gen.Choose(0, int.MaxValue).Zip(Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(-50, 200).Select(i => (int?)i))).ListOf()
             select (dag, scoring, changes.ToList())).ToArbitrary(),
            input =>
            {
                var (dag, scoring, changes) = input;
                var graph = AlignmentGraph.Build(dag.Objectives);
                var values = new Dictionary<KeyResultId, decimal>(dag.Values);
                var rollup = graph.Rollup(scoring, values);
                var first = rollup;
                var firstProgress = dag.Objectives.Select(o => first.Progress(o.Id)).ToList();
                foreach (var (pick, value) in changes)
                {
                    if (graph.KeyResultCount == 0)
                    {
                        break;
                    }

                    var kr = graph.KeyResults[pick % graph.KeyResultCount];
                    if (value is { } v)
                    {
                        values[kr.Id] = v;
                    }
                    else
                    {
                        values.Remove(kr.Id);
                    }

                    rollup = rollup.Update(kr.Id, value);
                }

                var full = graph.Rollup(scoring, values);
                return dag.Objectives.All(o => Same(full.Progress(o.Id), rollup.Progress(o.Id)))
                    && graph.KeyResults.All(k => Same(full.Progress(k.Id), rollup.Progress(k.Id)))
                    && dag.Objectives.Select(o => first.Progress(o.Id)).SequenceEqual(firstProgress);
            });

    /// <summary>Random link edits never create a cycle; a rejected edit leaves the graph as it was.</summary>
    [Property(MaxTest = 200)]
    public Property Random_link_edits_never_create_a_cycle() =>
        Prop.ForAll(
            AlignmentGen.Dag(15).Zip(Gen.Choose(0, int.MaxValue).Two().ListOf()).ToArbitrary(),
            input =>
            {
                var (dag, edits) = input;
                var clock = TestData.Clock();
                var graph = AlignmentGraph.Build(dag.Objectives);
                foreach (var (a, b) in edits)
                {
                    var child = graph.Objectives[a % graph.ObjectiveCount];
                    var parent = graph.Objectives[b % graph.ObjectiveCount];
                    if (child.Id == parent.Id || child.Alignments.Any(l => l.ParentObjectiveId == parent.Id) || !child.IsEditable)
                    {
                        continue;
                    }

                    var edited = child.WithAlignments([.. child.Alignments, new AlignmentLink(parent.Id)], clock);
                    var before = graph.Objectives.ToList();
                    var closesCycle = parent.Id == child.Id || graph.Ancestors(parent.Id).Contains(child.Id);
                    try
                    {
                        graph = graph.With(edited);
                        if (closesCycle)
                        {
                            return false;
                        }
                    }
                    catch (OkrValidationException ex) when (ex.Violations.All(v => v.Code == OkrErrorCodes.AlignmentCycle))
                    {
                        if (!closesCycle || !graph.Objectives.SequenceEqual(before))
                        {
                            return false;
                        }
                    }

                    // The graph stays acyclic: no objective is its own ancestor.
                    if (graph.Objectives.Any(o => graph.Ancestors(o.Id).Contains(o.Id)))
                    {
                        return false;
                    }
                }

                return true;
            });

    /// <summary>
    /// Where every link contributes and progress comes from aligned objectives, the contributions of a
    /// root's leaf descendants, times their progress, add up to the root's roll-up.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Contributions_add_up_to_the_roots_rollup() =>
        Prop.ForAll(AlignmentGen.Dag().ToArbitrary(), dag =>
        {
            // Make every link a contributing one to the objective itself, with positive weight, nothing cancelled, all data present.
            var clock = TestData.Clock();
            var objectives = dag.Objectives.Select(o => Objective.Create(o.Id, o.PeriodId, o.Title, o.Owner, clock, keyResults: o.KeyResults.Select(k => new KeyResult(k.Id, k.Title, k.Measure)),
                alignments: o.Alignments.Where(l => l.ParentKeyResultId is null).Select(l => new AlignmentLink(l.ParentObjectiveId, null, l.Weight == 0 ? 1 : l.Weight)))).ToList();
            var values = objectives.SelectMany(o => o.KeyResults).ToDictionary(k => k.Id, k => dag.Values.GetValueOrDefault(k.Id, 50));
            var graph = AlignmentGraph.Build(objectives);
            var scoring = new OkrScoring(source: RollupSource.AlignedObjectives);
            var rollup = graph.Rollup(scoring, values);
            var leafScoring = OkrScoring.Default.Evaluate;
            foreach (var root in graph.Roots())
            {
                var contributions = graph.Contributions(root);
                var leaves = contributions.Keys.Where(id => graph.Children(id).Count == 0).ToList();
                if (leaves.Count == 0)
                {
                    continue;
                }

                var sum = leaves.Sum(id => contributions[id] * (leafScoring(graph[id], k => values[k]).Progress ?? 0));
                if (Math.Abs(sum - (rollup.Progress(root) ?? 0)) > 1e-9 || Math.Abs(leaves.Sum(id => contributions[id]) - 1) > 1e-9)
                {
                    return false;
                }
            }

            return true;
        });

    /// <summary>Ancestors and descendants agree with a naive traversal of the links.</summary>
    [Property(MaxTest = 300)]
    public Property Ancestors_and_descendants_agree_with_a_naive_traversal() =>
        Prop.ForAll(AlignmentGen.Dag().ToArbitrary(), dag =>
        {
            var graph = AlignmentGraph.Build(dag.Objectives);
            var byId = dag.Objectives.ToDictionary(o => o.Id);
            HashSet<ObjectiveId> Up(ObjectiveId id) =>
                [.. byId[id].Alignments.Where(l => byId.ContainsKey(l.ParentObjectiveId)).SelectMany(l => Up(l.ParentObjectiveId).Append(l.ParentObjectiveId))];
            return dag.Objectives.All(o =>
                Up(o.Id).SetEquals(graph.Ancestors(o.Id))
                && dag.Objectives.Where(d => Up(d.Id).Contains(o.Id)).Select(d => d.Id).ToHashSet().SetEquals(graph.Descendants(o.Id)));
        });

    private static Dictionary<ObjectiveId, double?> BruteForce(RandomDag dag, OkrScoring scoring)
    {
        var memo = new Dictionary<ObjectiveId, double?>();
        double? Progress(Objective o)
        {
            if (memo.TryGetValue(o.Id, out var known))
            {
                return known;
            }

            var children = dag.Objectives
                .SelectMany(c => c.Alignments.Where(l => l.ParentObjectiveId == o.Id).Select(l => new ChildProgress(c, l, Progress(c))))
                .ToList();
            var result = scoring.Evaluate(o, k => dag.Values.TryGetValue(k, out var v) ? v : null, children).Progress;
            memo[o.Id] = result;
            return result;
        }

        foreach (var o in dag.Objectives)
        {
            Progress(o);
        }

        return memo;
    }

    private static bool Same(double? a, double? b) => a is null ? b is null : b is not null && Math.Abs(a.Value - b.Value) <= 1e-12;
}
