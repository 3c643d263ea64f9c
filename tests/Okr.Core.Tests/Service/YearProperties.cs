using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Scoring;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>A year's figures from its quarters against their definition (issue 19, item 3).</summary>
public class YearProperties
{
    private static readonly Instant Now = Instant.FromUtc(2026, 5, 20, 9, 0);
    private static readonly OkrPeriod Year = OkrPeriod.CalendarYear(new PeriodId(Guid.Parse("0192f0a1-0000-7000-8000-0000000000b0")), 2026).Activate(new FakeClock(Now));
    private static readonly OkrPeriod[] Quarters =
        [.. Enumerable.Range(1, 4).Select(q => OkrPeriod.CalendarQuarter(new PeriodId(Guid.Parse($"0192f0a1-0000-7000-8000-0000000000b{q}")), 2026, q).Activate(new FakeClock(Now)))];

    private static readonly Gen<RollupSource> Sources = Gen.Elements(RollupSource.KeyResults, RollupSource.AlignedObjectives, RollupSource.Blend(0.25));

    /// <summary>
    /// A random year: annual objectives (some key results fed by aligned objectives, some measured), quarterly objectives
    /// in any quarter aligned to an annual objective or key result or to an earlier quarterly objective of their quarter,
    /// contributing or supporting, some cancelled, and values. Its summary's period score and every annual objective's
    /// progress equal <see cref="OkrScoring.Evaluate"/> applied child first, and <see cref="OkrScoring.PeriodScore"/>.
    /// </summary>
    /// <returns>The property.</returns>
    [Property(MaxTest = 150)]
    public Property A_years_score_from_its_quarters_equals_the_definition() =>
        Prop.ForAll(Cases().ToArbitrary(), input =>
        {
            var (annual, quarterly, values, source, rollup) = input;
            var scoring = new OkrScoring(rollup: rollup, source: source);
            var tenant = new TenantId(Guid.NewGuid());
            var store = new InMemoryOkrStore();
            var checkIns = values.Select(v => new CheckIn(new CheckInId(Guid.NewGuid()), v.Key, v.Value, OwnerRef.Person("a"), Now - Duration.FromDays(1), Now - Duration.FromDays(1))).ToList();
            store.ImportAsync(tenant, new OkrDocument(tenant, [Year, .. Quarters], [.. annual, .. quarterly], checkIns)).AsTask().GetAwaiter().GetResult();
            var okr = new OkrService(store, new FakeClock(Now), new OkrServiceOptions { Scoring = scoring });

            var summary = okr.Progress.SummarizeAsync(tenant, Year.Id).AsTask().GetAwaiter().GetResult();

            // The definition: every objective of the year and its quarters, children first.
            var all = annual.Concat(quarterly).ToList();
            var memo = new Dictionary<ObjectiveId, ObjectiveProgress>();
            ObjectiveProgress Eval(Objective o) => memo.TryGetValue(o.Id, out var known) ? known : memo[o.Id] = scoring.Evaluate(
                o,
                k => values.TryGetValue(k, out var v) ? v : null,
                [.. all.SelectMany(c => c.Alignments.Where(l => l.ParentObjectiveId == o.Id).Select(l => new ChildProgress(c, l, Eval(c).Progress)))]);
            var expected = annual.Select(Eval).ToList();

            Assert.Equal(annual.Select(o => o.Id).Order(), summary.Objectives.Select(s => s.Progress.Objective.Id).Order());
            foreach (var e in expected)
            {
                var shown = summary.Objectives.Single(s => s.Progress.Objective.Id == e.Objective.Id);
                Assert.Equal(e.Progress is null, shown.Progress.Progress is null);
                Assert.Equal(e.Progress ?? 0, shown.Progress.Progress ?? 0, tolerance: 1e-9);
            }

            var score = scoring.PeriodScore(expected);
            Assert.Equal(score is null, summary.Score is null);
            Assert.Equal(score ?? 0, summary.Score ?? 0, tolerance: 1e-9);
            return true;
        });

    /// <summary>
    /// A year's summary reads what is aligned under its objectives in the quarters, not the quarters: the store is asked
    /// to list the year's objectives only, and the year still counts its quarterly child (and not the 200 objectives of
    /// that quarter aligned to nothing of the year).
    /// </summary>
    [Fact]
    public async Task A_years_summary_reads_what_is_aligned_under_it_not_its_quarters()
    {
        var tenant = new TenantId(Guid.NewGuid());
        var clock = new FakeClock(Now);
        var measure = new IncreaseMeasure(0m, 100m);
        var annual = Objective.Create(new ObjectiveId(Guid.NewGuid()), Year.Id, "Annual", OwnerRef.Team("a"), clock, keyResults: [new KeyResult(new KeyResultId(Guid.NewGuid()), "Fed by the quarters", measure)]);
        var child = Objective.Create(new ObjectiveId(Guid.NewGuid()), Quarters[1].Id, "Quarterly", OwnerRef.Team("a"), clock, keyResults: [new KeyResult(new KeyResultId(Guid.NewGuid()), "Half way", measure)], alignments: [new AlignmentLink(annual.Id)]);
        var others = Enumerable.Range(0, 200).Select(i => Objective.Create(new ObjectiveId(Guid.NewGuid()), Quarters[1].Id, $"Other {i}", OwnerRef.Team("b"), clock, keyResults: [new KeyResult(new KeyResultId(Guid.NewGuid()), "Done", measure)])).ToList();
        var checkIns = others.Select(o => o.KeyResults[0].Id).Append(child.KeyResults[0].Id)
            .Select(kr => new CheckIn(new CheckInId(Guid.NewGuid()), kr, kr == child.KeyResults[0].Id ? 50m : 100m, OwnerRef.Person("a"), Now - Duration.FromDays(1), Now - Duration.FromDays(1))).ToList();
        var store = new InMemoryOkrStore();
        await store.ImportAsync(tenant, new OkrDocument(tenant, [Year, .. Quarters], [annual, child, .. others], checkIns));
        var listing = new ListingStore(store);
        var okr = new OkrService(listing, clock, new OkrServiceOptions { Scoring = new OkrScoring(source: RollupSource.AlignedObjectives) });

        var summary = await okr.Progress.SummarizeAsync(tenant, Year.Id);

        Assert.Equal([Year.Id], listing.Listed);
        Assert.Equal(0.5, summary.Objectives.Single().Progress.Progress!.Value, tolerance: 1e-9);
    }

    /// <summary>Records the period of every listing the store is asked for.</summary>
    private sealed class ListingStore(IOkrStore inner) : Okr.Storage.Specification.DelegatingOkrStore(inner)
    {
        public List<PeriodId?> Listed { get; } = [];

        public override IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default)
        {
            Listed.Add(query.Period);
            return base.ListObjectivesAsync(tenant, query, cancellationToken);
        }
    }

    /// <summary>With periods allowed to cross, a link that would close a cycle through a year and a quarter is refused too.</summary>
    [Fact]
    public async Task A_cycle_across_periods_is_refused()
    {
        var tenant = new TenantId(Guid.NewGuid());
        var clock = new FakeClock(Now);
        var okr = new OkrService(new InMemoryOkrStore(), clock, new OkrServiceOptions { RequireChildPeriodInsideParent = false });
        await okr.Transfer.ImportAsync(tenant, new OkrDocument(tenant, [Year, Quarters[1]], [], []));
        var yearly = await okr.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), Year.Id, "Annual", OwnerRef.Team("a"), clock));
        var quarterly = await okr.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), Quarters[1].Id, "Quarterly", OwnerRef.Team("a"), clock));
        await okr.Objectives.AlignAsync(tenant, quarterly.Id, new AlignmentLink(yearly.Id));
        var cycle = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Objectives.AlignAsync(tenant, yearly.Id, new AlignmentLink(quarterly.Id)));
        Assert.Contains(cycle.Violations, v => v.Code == OkrErrorCodes.AlignmentCycle);
    }

    [Fact]
    public void Kinds_follow_the_dates()
    {
        var id = new PeriodId(Guid.NewGuid());
        Assert.Equal(PeriodKind.Year, OkrPeriod.FiscalYear(id, 2027, 4).Kind);
        Assert.Equal(PeriodKind.Quarter, OkrPeriod.FiscalQuarter(id, 2027, 2, 4).Kind);
        Assert.Equal(PeriodKind.Month, OkrPeriod.Custom(id, "February", new LocalDate(2028, 2, 1), new LocalDate(2028, 2, 29)).Kind);
        Assert.Equal(PeriodKind.Custom, OkrPeriod.Custom(id, "Cycle", new LocalDate(2026, 1, 5), new LocalDate(2026, 2, 15)).Kind);
        Assert.Equal(PeriodKind.Custom, OkrPeriod.Custom(id, "Four months", new LocalDate(2026, 1, 1), new LocalDate(2026, 4, 30)).Kind);
        Assert.True(Year.Holds(Quarters[2]));
        Assert.False(Quarters[2].Holds(Year));
        Assert.False(Year.Holds(Year));
        Assert.False(Year.Holds(OkrPeriod.CalendarYear(new PeriodId(Guid.NewGuid()), 2026)));
    }

    private static Gen<(List<Objective> Annual, List<Objective> Quarterly, Dictionary<KeyResultId, decimal> Values, RollupSource Source, IRollupPolicy Rollup)> Cases() =>
        from annualCount in Gen.Choose(1, 4)
        from annualShapes in Gen.Elements(false, true).ArrayOf(annualCount * 3)
        from quarterlyCount in Gen.Choose(0, 10)
        from picks in Gen.Choose(0, 10_000).ArrayOf(quarterlyCount * 4)
        from cancelled in Gen.Elements(false, false, false, false, true).ArrayOf(quarterlyCount)
        from supports in Gen.Elements(false, false, false, true).ArrayOf(quarterlyCount)
        from valuePicks in Gen.Choose(-1, 120).ArrayOf((annualCount + quarterlyCount) * 3)
        from source in Sources
        from rollup in Gen.Elements<IRollupPolicy>(WeightedMeanRollup.Default, new WeightedMeanRollup(NoDataRule.LeaveOut), new WeakestRollup())
        select Build(annualCount, annualShapes, quarterlyCount, picks, cancelled, supports, valuePicks, source, rollup);

    private static (List<Objective>, List<Objective>, Dictionary<KeyResultId, decimal>, RollupSource, IRollupPolicy) Build(
        int annualCount, bool[] fedShapes, int quarterlyCount, int[] picks, bool[] cancelled, bool[] supports, int[] valuePicks, RollupSource source, IRollupPolicy rollup)
    {
        KeyResult Kr(bool fed) => new(new KeyResultId(Guid.NewGuid()), "KR", new IncreaseMeasure(0, 100), 1, null, fed ? ProgressSource.FromAlignedObjectives : ProgressSource.Measured);
        Objective Make(PeriodId period, IEnumerable<KeyResult> krs, IEnumerable<AlignmentLink> links, ObjectiveState state) =>
            new(new ObjectiveId(Guid.NewGuid()), period, "O", string.Empty, OwnerRef.Team("t"), ObjectiveKind.Committed, state, Visibility.Public, krs, links, 1, Now, Now, null);

        var annual = Enumerable.Range(0, annualCount).Select(i => Make(Year.Id, [Kr(fedShapes[i * 3]), Kr(fedShapes[(i * 3) + 1]), Kr(false)], [], ObjectiveState.Active)).ToList();
        var quarterly = new List<Objective>();
        for (var i = 0; i < quarterlyCount; i++)
        {
            var quarter = Quarters[picks[i * 4] % 4];
            var earlier = quarterly.Where(q => q.PeriodId == quarter.Id && q.State != ObjectiveState.Cancelled).ToList();
            var kind = supports[i] ? AlignmentKind.Supports : AlignmentKind.Contributes;
            AlignmentLink link;
            if (earlier.Count > 0 && picks[(i * 4) + 1] % 3 == 0)
            {
                link = new AlignmentLink(earlier[picks[(i * 4) + 2] % earlier.Count].Id, null, 1 + (picks[(i * 4) + 3] % 3), kind);
            }
            else
            {
                var parent = annual[picks[(i * 4) + 2] % annual.Count];
                var toKeyResult = picks[(i * 4) + 1] % 2 == 0 ? parent.KeyResults[picks[(i * 4) + 3] % 3].Id : (KeyResultId?)null;
                link = new AlignmentLink(parent.Id, toKeyResult, 1 + (picks[(i * 4) + 3] % 3), kind);
            }

            quarterly.Add(Make(quarter.Id, [Kr(false), Kr(false), Kr(false)], [link], cancelled[i] ? ObjectiveState.Cancelled : ObjectiveState.Active));
        }

        var values = new Dictionary<KeyResultId, decimal>();
        var measured = annual.Concat(quarterly).SelectMany(o => o.KeyResults).ToList();
        for (var k = 0; k < measured.Count && k < valuePicks.Length; k++)
        {
            if (valuePicks[k] >= 0 && measured[k].ProgressSource == ProgressSource.Measured)
            {
                values[measured[k].Id] = valuePicks[k];
            }
        }

        return (annual, quarterly, values, source, rollup);
    }
}
