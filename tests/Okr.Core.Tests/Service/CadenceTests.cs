using NodaTime;
using NodaTime.Testing;
using Okr.Core.Access;
using Okr.Core.Health;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>
/// Check-in cadences by example: due dates of each kind, bad values, the JSON form, inheritance and overrides with
/// where each cadence comes from, grace days, time zones and a DST week in Europe/Berlin, and what an actor may see.
/// </summary>
public class CadenceTests
{
    private static readonly DateInterval Q1 = new(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31));
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private readonly TenantId _tenant = new(Guid.NewGuid());

    [Fact]
    public void Due_dates_of_each_kind_lie_inside_the_period()
    {
        var mondays = CheckInCadence.Weekly().DueDates(Q1).ToList();
        Assert.Equal((new LocalDate(2026, 1, 5), new LocalDate(2026, 3, 30), 13), (mondays[0], mondays[^1], mondays.Count));   // 1 January 2026 is a Thursday
        Assert.Equal([new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 15)], CheckInCadence.EveryWeeks(2, IsoDayOfWeek.Thursday).DueDates(Q1).Take(2));
        Assert.Equal([new LocalDate(2026, 1, 31), new LocalDate(2026, 2, 28), new LocalDate(2026, 3, 31)], CheckInCadence.Monthly(31).DueDates(Q1));
        Assert.Equal(
            [new LocalDate(2026, 2, 1), new LocalDate(2026, 3, 1)],
            CheckInCadence.OnDates([new LocalDate(2026, 3, 1), new LocalDate(2025, 12, 1), new LocalDate(2026, 2, 1), new LocalDate(2026, 3, 1)]).DueDates(Q1));
        Assert.Equal(CheckInCadence.Weekly(IsoDayOfWeek.Friday, 2), CheckInCadence.Weekly(IsoDayOfWeek.Friday, 2));
        Assert.NotEqual(CheckInCadence.Weekly(IsoDayOfWeek.Friday, 2), CheckInCadence.Weekly(IsoDayOfWeek.Friday, 1));
        Assert.Equal("every 2 weeks on Thursday, 1 grace day", CheckInCadence.EveryWeeks(2, IsoDayOfWeek.Thursday, 1).ToString());
    }

    [Fact]
    public void Bad_cadences_are_refused_naming_what_is_wrong()
    {
        Assert.Equal("GraceDays", TestData.Single(() => CheckInCadence.Weekly(graceDays: CheckInCadence.MaxGraceDays + 1)).Member);
        Assert.Equal("Weeks", TestData.Single(() => CheckInCadence.EveryWeeks(0)).Member);
        Assert.Equal("Weeks", TestData.Single(() => CheckInCadence.EveryWeeks(CheckInCadence.MaxWeeks + 1)).Member);
        Assert.Equal("DayOfMonth", TestData.Single(() => CheckInCadence.Monthly(32)).Member);
        Assert.Equal("Dates", TestData.Single(() => CheckInCadence.OnDates([])).Member);
        Assert.Equal("Dates", TestData.Single(() => CheckInCadence.OnDates(Enumerable.Range(0, CheckInCadence.MaxDates + 1).Select(i => new LocalDate(2026, 1, 1).PlusDays(i)))).Member);
        Assert.Equal(CheckInCadence.MaxDates, CheckInCadence.OnDates(Enumerable.Range(0, CheckInCadence.MaxDates * 2).Select(i => new LocalDate(2026, 1, 1).PlusDays(i % CheckInCadence.MaxDates))).Dates.Count);
        Assert.Equal((366, 26, 31), (CheckInCadence.MaxDates, CheckInCadence.MaxWeeks, CheckInCadence.MaxGraceDays));
        Assert.Equal("Day", TestData.Single(() => CheckInCadence.Weekly(IsoDayOfWeek.None)).Member);
        Assert.Contains("between 0 and 31; it is -1", TestData.Single(() => CheckInCadence.Monthly(graceDays: -1)).Message, StringComparison.Ordinal);
        CheckInCadence.EveryWeeks(CheckInCadence.MaxWeeks, IsoDayOfWeek.Sunday, CheckInCadence.MaxGraceDays);
    }

    [Fact]
    public void A_cadence_is_part_of_okr1_when_set_and_a_bad_one_is_named_by_its_path()
    {
        var clock = TestData.Clock();
        var plain = TestData.Draft(clock);
        Assert.DoesNotContain("cadence", OkrJson.SerializeObjective(plain), StringComparison.Ordinal);

        var krs = plain.KeyResults.Select((k, i) => i == 0 ? k.WithCadence(CheckInCadence.OnDates([new LocalDate(2026, 2, 2)], 1)) : k);
        var set = plain.WithKeyResults(krs, clock).WithCadence(CheckInCadence.EveryWeeks(2, IsoDayOfWeek.Friday, 1), clock);
        var json = OkrJson.SerializeObjective(set);
        Assert.Contains("\"cadence\":{\"kind\":\"everyWeeks\",\"day\":\"friday\",\"weeks\":2,\"graceDays\":1}", json, StringComparison.Ordinal);
        Assert.Contains("\"cadence\":{\"kind\":\"dates\",\"dates\":[\"2026-02-02\"],\"graceDays\":1}", json, StringComparison.Ordinal);
        var back = OkrJson.DeserializeObjective(json);
        Assert.Equal(set.Cadence, back.Cadence);
        Assert.Equal(set.KeyResults, back.KeyResults);
        Assert.Equal(json, OkrJson.SerializeObjective(back));
        Assert.Equal(set, back);
        Assert.Equal(set.KeyResults[0].Cadence, back.KeyResults[0].Cadence);
        Assert.Null(set.WithCadence(null, clock).Cadence);

        var bad = Assert.Throws<OkrFormatException>(() => OkrJson.DeserializeObjective(json.Replace("\"friday\"", "\"funday\"", StringComparison.Ordinal)));
        Assert.Contains("cadence", bad.Message, StringComparison.Ordinal);
        Assert.Contains("funday", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_key_result_shows_which_cadence_it_follows_and_where_it_was_set()
    {
        var (okr, quarter, clock) = await QuarterAsync(new OkrServiceOptions
        {
            Cadence = CheckInCadence.Monthly(),
            OwnerCadences = new Dictionary<OwnerRef, CheckInCadence> { [OwnerRef.Team("sales")] = CheckInCadence.EveryWeeks(2), [OwnerRef.Person("ann")] = CheckInCadence.Weekly(IsoDayOfWeek.Friday) },
        });
        var company = await CreateAsync(okr, quarter, clock, "Company", OwnerRef.OrganizationUnit("acme"), cadence: CheckInCadence.Weekly(IsoDayOfWeek.Tuesday));
        var product = await CreateAsync(okr, quarter, clock, "Product", OwnerRef.Team("product"), parent: company);
        var sales = await CreateAsync(okr, quarter, clock, "Sales", OwnerRef.Team("sales"), parent: company);
        var squad = await CreateAsync(okr, quarter, clock, "Squad", OwnerRef.Team("squad"), parent: sales);
        var loose = await CreateAsync(okr, quarter, clock, "Loose", OwnerRef.Team("loose"));
        var own = await okr.Objectives.EditAsync(_tenant, product.Id, (o, c) => o.WithKeyResults([o.KeyResults[0].WithCadence(CheckInCadence.Monthly(15)), o.KeyResults[1].WithOwner(OwnerRef.Person("ann")), o.KeyResults[2]], c));

        async Task<string> Of(KeyResult kr) => (await okr.CheckIns.CadenceOfAsync(_tenant, kr.Id))?.ToString() ?? "none";
        Assert.Equal("weekly on Tuesday, from the objective " + company.Id, await Of(company.KeyResults[0]));
        Assert.Equal("monthly on day 15, set on the key result", await Of(own.KeyResults[0]));
        Assert.Equal("weekly on Friday, from the owner person:ann", await Of(own.KeyResults[1]));                          // the key result's owner over the aligned objective
        Assert.Equal("weekly on Tuesday, from the aligned objective " + company.Id, await Of(own.KeyResults[2]));
        Assert.Equal("every 2 weeks on Monday, from the owner team:sales", await Of(sales.KeyResults[0]));                // an owner's cadence over the aligned objective's
        Assert.Equal($"every 2 weeks on Monday, from the aligned objective {sales.Id}'s owner team:sales", await Of(squad.KeyResults[0]));
        Assert.Equal("monthly on day 1, the tenant's", await Of(loose.KeyResults[0]));
        var cadence = (await okr.CheckIns.CadenceOfAsync(_tenant, squad.KeyResults[0].Id))!;
        Assert.Equal((CadenceSource.AlignedObjective, (ObjectiveId?)sales.Id, (OwnerRef?)OwnerRef.Team("sales")), (cadence.Source, cadence.Objective, cadence.Owner));
        await Assert.ThrowsAsync<OkrNotFoundException>(() => okr.CheckIns.CadenceOfAsync(_tenant, new KeyResultId(Guid.NewGuid())).AsTask());
    }

    [Fact]
    public async Task Grace_days_let_an_early_check_in_count_and_hold_off_overdue()
    {
        // Weekly on Monday with two grace days; the first Monday of the quarter is 5 January.
        var (okr, quarter, clock) = await QuarterAsync(new OkrServiceOptions { Cadence = CheckInCadence.Weekly(IsoDayOfWeek.Monday, 2) });
        var team = await CreateAsync(okr, quarter, clock, "Team", OwnerRef.Team("t"));
        clock.Reset(Instant.FromUtc(2026, 1, 3, 15, 0));                               // Saturday: two days early
        await okr.CheckIns.RecordAsync(_tenant, team.KeyResults[0].Id, 10, OwnerRef.Person("p"));

        var monday = await okr.CheckIns.DueAsync(_tenant, quarter.Id, Instant.FromUtc(2026, 1, 5, 9, 0));
        Assert.DoesNotContain(monday, d => d.KeyResult.Id == team.KeyResults[0].Id);    // the early check-in counts
        var other = Assert.Single(monday, d => d.KeyResult.Id == team.KeyResults[1].Id);
        Assert.Equal((new LocalDate(2026, 1, 5), 1, false, Duration.Zero), (other.Since, other.Missed, other.IsOverdue, other.OverdueBy));
        Assert.Equal(Instant.FromUtc(2026, 1, 7, 0, 0), other.OverdueAt);                // due Monday, overdue from Wednesday

        var thursday = await okr.CheckIns.DueAsync(_tenant, quarter.Id, Instant.FromUtc(2026, 1, 8, 6, 0));
        Assert.Equal(Duration.FromHours(30), Assert.Single(thursday, d => d.KeyResult.Id == team.KeyResults[1].Id).OverdueBy);
        Assert.Equal(monday.Single(d => d.KeyResult.Id == team.KeyResults[1].Id).Id, thursday.Single(d => d.KeyResult.Id == team.KeyResults[1].Id).Id);   // the same reminder

        // Without grace, Saturday is too early for Monday.
        var strict = new OkrService(Store(okr), clock, new OkrServiceOptions { Cadence = CheckInCadence.Weekly() });
        Assert.Contains(await strict.CheckIns.DueAsync(_tenant, quarter.Id, Instant.FromUtc(2026, 1, 5, 9, 0)), d => d.KeyResult.Id == team.KeyResults[0].Id);
    }

    [Fact]
    public async Task Due_dates_are_days_of_the_tenants_zone_across_the_DST_week_in_Europe_Berlin()
    {
        // Clocks went forward on Sunday 29 March 2026. Weekly on Monday: 23 March starts at 23:00 UTC the day before (CET),
        // 30 March at 22:00 UTC the day before (CEST).
        var (okr, quarter, clock) = await QuarterAsync(new OkrServiceOptions { TimeZone = Berlin, Cadence = CheckInCadence.Weekly() });
        var team = await CreateAsync(okr, quarter, clock, "Team", OwnerRef.Team("t"));
        clock.Reset(new LocalDateTime(2026, 3, 16, 10, 0).InZoneStrictly(Berlin).ToInstant());
        foreach (var kr in team.KeyResults)
        {
            await okr.CheckIns.RecordAsync(_tenant, kr.Id, 10, OwnerRef.Person("p"));
        }

        var at = new LocalDateTime(2026, 3, 30, 10, 0).InZoneStrictly(Berlin).ToInstant();   // Monday after the change, 08:00 UTC
        var due = Assert.Single(await okr.CheckIns.DueAsync(_tenant, quarter.Id, at), d => d.KeyResult.Id == team.KeyResults[0].Id);

        Assert.Equal((new LocalDate(2026, 3, 23), 2), (due.Since, due.Missed));
        Assert.Equal(Instant.FromUtc(2026, 3, 22, 23, 0), due.DueAt);
        Assert.Equal(due.DueAt, due.OverdueAt);
        Assert.Equal(Duration.FromHours(177), due.OverdueBy);                                // a week of 167 hours, and ten more

        // In UTC the same instant is still Monday, and the Monday 00:00 UTC boundaries apply.
        var utc = new OkrService(Store(okr), clock, new OkrServiceOptions { Cadence = CheckInCadence.Weekly() });
        var inUtc = Assert.Single(await utc.CheckIns.DueAsync(_tenant, quarter.Id, at), d => d.KeyResult.Id == team.KeyResults[0].Id);
        Assert.Equal((Instant.FromUtc(2026, 3, 23, 0, 0), Duration.FromHours(176)), (inUtc.DueAt, inUtc.OverdueBy));

        // Sunday 29 March 23:30 in Berlin is Sunday 21:30 UTC: 30 March is not due yet in Berlin, nor in UTC.
        var sunday = new LocalDateTime(2026, 3, 29, 23, 30).InZoneStrictly(Berlin).ToInstant();
        Assert.Equal(1, Assert.Single(await okr.CheckIns.DueAsync(_tenant, quarter.Id, sunday), d => d.KeyResult.Id == team.KeyResults[0].Id).Missed);
        // In Auckland (UTC+13) it is already Monday 30 March: two missed.
        var auckland = new OkrService(Store(okr), clock, new OkrServiceOptions { TimeZone = DateTimeZoneProviders.Tzdb["Pacific/Auckland"], Cadence = CheckInCadence.Weekly() });
        Assert.Equal(2, Assert.Single(await auckland.CheckIns.DueAsync(_tenant, quarter.Id, sunday), d => d.KeyResult.Id == team.KeyResults[0].Id).Missed);
    }

    [Fact]
    public async Task An_actor_is_owed_nothing_of_what_they_may_not_read_nor_told_where_a_hidden_cadence_was_set()
    {
        var (okr, quarter, clock) = await QuarterAsync(new OkrServiceOptions
        {
            AccessPolicy = new OwnersOnly(),
            OwnerCadences = new Dictionary<OwnerRef, CheckInCadence> { [OwnerRef.Person("chair")] = CheckInCadence.Monthly() },
        });
        var secret = await CreateAsync(okr, quarter, clock, "Board", OwnerRef.Person("board"), cadence: CheckInCadence.Weekly(), visibility: Visibility.Private);
        var mine = await CreateAsync(okr, quarter, clock, "Mine", OwnerRef.Person("me"), parent: secret);
        var chaired = await CreateAsync(okr, quarter, clock, "Chair", OwnerRef.Person("chair"), visibility: Visibility.Private);
        var yours = await CreateAsync(okr, quarter, clock, "Yours", OwnerRef.Person("me"), parent: chaired);
        var fromChair = (await okr.As(OwnerRef.Person("me")).CheckIns.CadenceOfAsync(_tenant, yours.KeyResults[0].Id))!;
        Assert.Equal((CadenceSource.AlignedObjective, (ObjectiveId?)null, (OwnerRef?)null), (fromChair.Source, fromChair.Objective, fromChair.Owner));   // not "person:chair"
        Assert.Equal((OwnerRef?)OwnerRef.Person("chair"), (await okr.CheckIns.CadenceOfAsync(_tenant, yours.KeyResults[0].Id))!.Owner);
        await okr.Objectives.CancelAsync(_tenant, yours.Id);
        await okr.Objectives.CancelAsync(_tenant, chaired.Id);

        var asMe = okr.As(OwnerRef.Person("me"));
        var due = await asMe.CheckIns.DueAsync(_tenant, quarter.Id, Instant.FromUtc(2026, 1, 20, 12, 0));

        Assert.All(due, d => Assert.Equal(mine.Id, d.Objective.Id));
        Assert.Equal(3, due.Count);
        Assert.All(due, d => Assert.Equal((CadenceSource.AlignedObjective, (ObjectiveId?)null), (d.Cadence.Source, d.Cadence.Objective)));
        Assert.Null((await asMe.CheckIns.CadenceOfAsync(_tenant, mine.KeyResults[0].Id))!.Objective);
        await Assert.ThrowsAsync<OkrNotFoundException>(() => asMe.CheckIns.CadenceOfAsync(_tenant, secret.KeyResults[0].Id).AsTask());
        Assert.Equal(6, (await okr.CheckIns.DueAsync(_tenant, quarter.Id, Instant.FromUtc(2026, 1, 20, 12, 0))).Count);   // the system sees both
    }

    [Fact]
    public async Task A_key_result_with_a_cadence_is_stale_when_a_check_in_is_overdue_not_after_a_number_of_days()
    {
        // Health's own rule: stale after 14 days without a check-in. Weekly key results are stale eight days after one;
        // monthly ones are not, twenty-five days after; key results without a cadence keep the 14 days.
        var (okr, quarter, clock) = await QuarterAsync(new OkrServiceOptions());
        var company = await CreateAsync(okr, quarter, clock, "Company", OwnerRef.OrganizationUnit("acme"), cadence: CheckInCadence.Weekly());
        var team = await CreateAsync(okr, quarter, clock, "Team", OwnerRef.Team("t"), parent: company);
        var monthly = await CreateAsync(okr, quarter, clock, "Monthly", OwnerRef.Team("m"), cadence: CheckInCadence.Monthly());
        var plain = await CreateAsync(okr, quarter, clock, "Plain", OwnerRef.Team("p"));
        clock.Reset(Instant.FromUtc(2026, 1, 5, 10, 0));
        foreach (var kr in new[] { company, team, monthly, plain }.SelectMany(o => o.KeyResults))
        {
            await okr.CheckIns.RecordAsync(_tenant, kr.Id, 120, OwnerRef.Person("p"));
        }

        clock.Reset(Instant.FromUtc(2026, 1, 13, 9, 0));
        Assert.All((await okr.Progress.GetObjectiveStatusAsync(_tenant, team.Id)).KeyResults, k => Assert.Equal(HealthStatus.Stale, k.Health.Status));   // inherited from the company
        var summary = await okr.Progress.SummarizeAsync(_tenant, quarter.Id);
        Assert.All(summary.Objectives.Where(s => s.Progress.Objective.Id != plain.Id && s.Progress.Objective.Id != monthly.Id).SelectMany(s => s.KeyResults), k => Assert.Equal(HealthStatus.Stale, k.Health.Status));
        Assert.All(summary.Objectives.Where(s => s.Progress.Objective.Id == plain.Id || s.Progress.Objective.Id == monthly.Id).SelectMany(s => s.KeyResults), k => Assert.NotEqual(HealthStatus.Stale, k.Health.Status));

        clock.Reset(Instant.FromUtc(2026, 1, 30, 9, 0));
        var late = await okr.Progress.SummarizeAsync(_tenant, quarter.Id);
        Assert.All(late.Objectives.Single(s => s.Progress.Objective.Id == monthly.Id).KeyResults, k => Assert.NotEqual(HealthStatus.Stale, k.Health.Status));
        Assert.All(late.Objectives.Single(s => s.Progress.Objective.Id == plain.Id).KeyResults, k => Assert.Equal(HealthStatus.Stale, k.Health.Status));
        Assert.Equal(
            late.Objectives.Single(s => s.Progress.Objective.Id == team.Id).KeyResults.Select(k => k.Health.Status),
            (await okr.Progress.GetObjectiveStatusAsync(_tenant, team.Id)).KeyResults.Select(k => k.Health.Status));
    }

    [Fact]
    public async Task Nothing_is_due_in_a_period_that_is_not_active_and_a_missing_period_is_named()
    {
        var (okr, quarter, clock) = await QuarterAsync(new OkrServiceOptions { Cadence = CheckInCadence.Weekly() });
        await CreateAsync(okr, quarter, clock, "Team", OwnerRef.Team("t"));
        var at = Instant.FromUtc(2026, 2, 2, 12, 0);
        Assert.Equal(3, (await okr.CheckIns.DueAsync(_tenant, quarter.Id, at)).Count);
        Assert.Empty(await okr.CheckIns.DueAsync(_tenant, quarter.Id, Instant.FromUtc(2026, 1, 4, 12, 0)));   // before the first Monday

        await okr.Periods.CloseAsync(_tenant, quarter.Id);
        Assert.Empty(await okr.CheckIns.DueAsync(_tenant, quarter.Id, at));
        await Assert.ThrowsAsync<OkrNotFoundException>(() => okr.CheckIns.DueAsync(_tenant, new PeriodId(Guid.NewGuid()), at).AsTask());
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<OkrService, IOkrStore> Stores = new();

    private static IOkrStore Store(OkrService okr) => Stores.TryGetValue(okr, out var store) ? store : throw new InvalidOperationException("Not made here.");

    private async Task<(OkrService Okr, OkrPeriod Quarter, FakeClock Clock)> QuarterAsync(OkrServiceOptions options)
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 8, 0));
        var store = new InMemoryOkrStore();
        var okr = new OkrService(store, clock, options);
        Stores.Add(okr, store);
        var quarter = await okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        return (okr, await okr.Periods.ActivateAsync(_tenant, quarter.Id), clock);
    }

    private async Task<Objective> CreateAsync(OkrService okr, OkrPeriod quarter, IClock clock, string title, OwnerRef owner, Objective? parent = null, CheckInCadence? cadence = null, Visibility visibility = Visibility.Public)
    {
        var draft = Objective.Create(new ObjectiveId(Guid.NewGuid()), quarter.Id, title, owner, clock, visibility: visibility, keyResults: TestData.Krs(3), alignments: parent is null ? [] : [new AlignmentLink(parent.Id)]);
        var created = await okr.Objectives.CreateAsync(_tenant, cadence is null ? draft : draft.WithCadence(cadence, clock));
        return await okr.Objectives.ActivateAsync(_tenant, created.Id);
    }

    private sealed class OwnersOnly : IOkrAccessPolicy
    {
        public ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) =>
            ValueTask.FromResult(actor == owner ? OkrRelation.Owner : OkrRelation.None);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(actor == owner);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }
}
