using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Testing;

namespace Okr.Core.Tests.Service;

/// <summary>
/// Scoped reads against their definition: for random periods (alignment forests, every scoring set-up) and random
/// histories (several check-ins per key result, corrections, back-dated ones), every scoped summary and every
/// objective's status shows exactly the figures the whole period's summary shows for the same objectives.
/// </summary>
public class ScopedSummaryProperties
{
    private static readonly PeriodId Period = SummaryWorld.Period;

    [Property(MaxTest = 150)]
    public Property Scoped_summaries_and_statuses_equal_the_whole_periods_figures() =>
        Prop.ForAll(AlignmentGen.Dag(25).Zip(AlignmentGen.Scoring).Zip(Gen.Choose(0, int.MaxValue)).ToArbitrary(), input =>
        {
            var ((dag, scoring), seed) = input;
            var okr = SummaryWorld.Create(dag, scoring, seed);
            var full = okr.Progress.SummarizeAsync(Tenant, Period).AsTask().GetAwaiter().GetResult();
            var expected = full.Objectives.ToDictionary(s => s.Progress.Objective.Id, SummaryWorld.Dump);
            Assert.Equal(dag.Objectives.Count, expected.Count);
            var random = new Random(seed);

            // An objective's status, and the summary of its subtree.
            foreach (var o in dag.Objectives.OrderBy(_ => random.Next()).Take(4))
            {
                var status = okr.Progress.GetObjectiveStatusAsync(Tenant, o.Id).AsTask().GetAwaiter().GetResult();
                Assert.Equal(expected[o.Id], SummaryWorld.Dump(new ObjectiveStatus(status.Progress, status.Health, [.. status.KeyResults.Select(k => new KeyResultStatus(k.Progress, k.Latest, k.Health, null))])));
                var subtree = Summarize(okr, new SummaryScope { Subtree = o.Id });
                AssertSame(expected, subtree);
                Assert.Equal(Descendants(dag, o.Id).Order(), subtree.Objectives.Select(s => s.Progress.Objective.Id).Order());
                var shown = subtree.Objectives.Select(s => s.Progress.Objective.Id).ToHashSet();
                Assert.True(Same(scoring.PeriodScore([.. full.Objectives.Where(s => shown.Contains(s.Progress.Objective.Id)).Select(s => s.Progress)]), subtree.Score), "A scope's score is the roll-up of its top objectives.");
            }

            // An owner, two owners.
            var owners = dag.Objectives.Select(o => o.Owner).Distinct().OrderBy(_ => random.Next()).ToList();
            foreach (var scope in new[] { owners.Take(1).ToList(), owners.Take(2).ToList() })
            {
                var summary = Summarize(okr, new SummaryScope { Owners = scope });
                AssertSame(expected, summary);
                Assert.Equal(dag.Objectives.Where(o => scope.Contains(o.Owner)).Select(o => o.Id).Order(), summary.Objectives.Select(s => s.Progress.Objective.Id).Order());
            }

            // The top levels.
            var levels = 1 + random.Next(3);
            var top = Summarize(okr, new SummaryScope { Levels = levels });
            AssertSame(expected, top);
            Assert.Equal(dag.Objectives.Where(o => Level(dag, o) <= levels).Select(o => o.Id).Order(), top.Objectives.Select(s => s.Progress.Objective.Id).Order());

            // Pages, in id order, add up to the period.
            var limit = 1 + random.Next(6);
            var paged = new List<ObjectiveId>();
            for (ObjectiveId? after = null; ;)
            {
                var page = Summarize(okr, new SummaryScope { After = after, Limit = limit });
                AssertSame(expected, page);
                Assert.True(page.Objectives.Count <= limit);
                paged.AddRange(page.Objectives.Select(s => s.Progress.Objective.Id).Order());
                if (page.NextAfter is not { } next)
                {
                    break;
                }

                Assert.Equal(limit, page.Objectives.Count);
                after = next;
            }

            Assert.Equal(dag.Objectives.Select(o => o.Id).Order(), paged);
            return true;
        });

    private static readonly TenantId Tenant = SummaryWorld.Tenant;

    private static PeriodSummary Summarize(OkrService okr, SummaryScope scope) =>
        okr.Progress.SummarizeAsync(Tenant, Period, scope).AsTask().GetAwaiter().GetResult();

    private static void AssertSame(Dictionary<ObjectiveId, string> expected, PeriodSummary summary)
    {
        foreach (var status in summary.Objectives)
        {
            Assert.Equal(expected[status.Progress.Objective.Id], SummaryWorld.Dump(status));
        }
    }

    private static HashSet<ObjectiveId> Descendants(RandomDag dag, ObjectiveId root)
    {
        var seen = new HashSet<ObjectiveId> { root };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var o in dag.Objectives.Where(o => !seen.Contains(o.Id) && o.Alignments.Any(a => seen.Contains(a.ParentObjectiveId))))
            {
                grew |= seen.Add(o.Id);
            }
        }

        return seen;
    }

    /// <summary>The definition of a level: 1 with no parent, else one more than the lowest level of a parent.</summary>
    private static int Level(RandomDag dag, Objective o) =>
        o.Alignments.Count == 0 ? 1 : 1 + o.Alignments.Min(a => Level(dag, dag.Objectives.Single(p => p.Id == a.ParentObjectiveId)));

    private static bool Same(double? a, double? b) => a is null ? b is null : b is not null && Math.Abs(a.Value - b.Value) <= 1e-12;

}

/// <summary>Scope validation and the cases a scope must refuse or answer as missing.</summary>
public class SummaryScopeTests
{
    [Fact]
    public async Task A_bad_scope_is_refused_with_every_member_named_and_a_missing_root_is_not_found()
    {
        Assert.Equal(64, SummaryScope.MaxLevels);
        var error = Assert.Throws<OkrValidationException>(() => new SummaryScope { Limit = 0, Levels = SummaryScope.MaxLevels + 1, Owners = [] }.Validate());
        Assert.Equal(["Limit", "Levels", "Owners"], error.Violations.Select(v => v.Member));
        new SummaryScope { Limit = 1, Levels = SummaryScope.MaxLevels, Owners = [OwnerRef.Team("t")] }.Validate();
        Assert.True(SummaryScope.WholePeriod.IsWholePeriod);

        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var okr = new OkrService(new InMemoryOkrStore(), clock);
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        var other = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 2));
        var elsewhere = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), other.Id, "Next quarter", OwnerRef.Team("t"), clock));
        await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Progress.SummarizeAsync(tenant, quarter.Id, new SummaryScope { Limit = 0 }));
        foreach (var root in new[] { elsewhere.Id, ObjectiveId.New(clock) })
        {
            var missing = await Assert.ThrowsAsync<OkrNotFoundException>(async () => await okr.Progress.SummarizeAsync(tenant, quarter.Id, new SummaryScope { Subtree = root }));
            Assert.Equal($"Objective {root} does not exist.", missing.Message);
        }
    }

    [Fact]
    public async Task Levels_are_counted_as_the_actor_sees_the_tree_so_a_hidden_parent_does_not_show_by_its_absence()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var store = new InMemoryOkrStore();
        var okr = new OkrService(store, clock, new OkrServiceOptions { AccessPolicy = new OwnersOnly() });
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        var (bob, eve) = (OwnerRef.Person("bob"), OwnerRef.Person("eve"));
        var secret = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Secret", bob, clock).WithVisibility(Visibility.Private, clock));
        var mine = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Mine", eve, clock, alignments: [new AlignmentLink(secret.Id)]));

        var top = await okr.As(eve).Progress.SummarizeAsync(tenant, quarter.Id, new SummaryScope { Levels = 1 });
        Assert.Equal([mine.Id], top.Objectives.Select(s => s.Progress.Objective.Id));
        Assert.Equal([secret.Id], (await okr.As(bob).Progress.SummarizeAsync(tenant, quarter.Id, new SummaryScope { Levels = 1 })).Objectives.Select(s => s.Progress.Objective.Id));
    }

    private sealed class OwnersOnly : Okr.Core.Access.IOkrAccessPolicy
    {
        public ValueTask<Okr.Core.Access.OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) =>
            ValueTask.FromResult(actor == owner ? Okr.Core.Access.OkrRelation.Owner : Okr.Core.Access.OkrRelation.None);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(actor == owner);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }
}
