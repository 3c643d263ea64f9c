using NodaTime;
using NodaTime.Testing;
using Okr.Core.Health;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

public class OkrServiceTests
{
    private readonly FakeClock _clock = TestData.Clock();
    private readonly InMemoryOkrStore _store = new();
    private readonly TenantId _tenant = new(Guid.NewGuid());
    private readonly OkrService _okr;

    public OkrServiceTests() => _okr = new OkrService(_store, _clock, new OkrServiceOptions { TimeZone = DateTimeZoneProviders.Tzdb["Europe/Berlin"] });

    private async Task<OkrPeriod> ActiveQuarter(int quarter = 1)
    {
        var q = await _okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, quarter));
        return await _okr.Periods.ActivateAsync(_tenant, q.Id);
    }

    private Task<Objective> Create(OkrPeriod period, int keyResults = 3, string title = "Grow", params AlignmentLink[] links) =>
        _okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), period.Id, title, OwnerRef.Team("t"), _clock, keyResults: TestData.Krs(keyResults), alignments: links)).AsTask();

    [Fact]
    public async Task An_objective_in_a_missing_period_is_not_found_and_not_written()
    {
        var draft = Objective.Create(ObjectiveId.New(_clock), PeriodId.New(_clock), "Orphan", TestData.Alice, _clock);
        await Assert.ThrowsAsync<OkrNotFoundException>(() => _okr.Objectives.CreateAsync(_tenant, draft).AsTask());
        Assert.Null(await _store.GetObjectiveAsync(_tenant, draft.Id));
    }

    [Fact]
    public async Task New_objectives_must_be_drafts()
    {
        var q = await ActiveQuarter();
        var active = Objective.Create(ObjectiveId.New(_clock), q.Id, "Active", TestData.Alice, _clock, keyResults: TestData.Krs(3)).Activate(_clock);
        Assert.Equal(OkrErrorCodes.IllegalTransition, Assert.Single((await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Objectives.CreateAsync(_tenant, active).AsTask())).Violations).Code);
    }

    [Fact]
    public async Task Activation_applies_the_rules_and_a_rejected_call_writes_nothing()
    {
        var q = await ActiveQuarter();
        var two = await Create(q, keyResults: 2);
        var ex = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Objectives.ActivateAsync(_tenant, two.Id).AsTask());
        Assert.Equal(OkrErrorCodes.KeyResultCount, Assert.Single(ex.Violations).Code);
        Assert.Equal(two, await _store.GetObjectiveAsync(_tenant, two.Id));

        var three = await Create(q);
        Assert.Equal(ObjectiveState.Active, (await _okr.Objectives.ActivateAsync(_tenant, three.Id)).State);
    }

    [Fact]
    public async Task A_link_that_would_close_a_cycle_is_rejected_with_its_path()
    {
        var q = await ActiveQuarter();
        var a = await Create(q, title: "A");
        var b = await Create(q, title: "B", links: new AlignmentLink(a.Id));
        var c = await Create(q, title: "C", links: new AlignmentLink(b.Id));
        var ex = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Objectives.AlignAsync(_tenant, a.Id, new AlignmentLink(c.Id)).AsTask());
        var v = Assert.Single(ex.Violations);
        Assert.Equal(OkrErrorCodes.AlignmentCycle, v.Code);
        Assert.Contains($"{a.Id} → {c.Id} → {b.Id} → {a.Id}", v.Message, StringComparison.Ordinal);
        Assert.Empty((await _store.GetObjectiveAsync(_tenant, a.Id))!.Alignments);
    }

    [Fact]
    public async Task Links_to_missing_parents_and_outside_periods_are_rejected()
    {
        var q = await ActiveQuarter();
        var nextYear = await _okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2027, 1));
        var parent = await Create(q);
        var missing = await Assert.ThrowsAsync<OkrValidationException>(() => Create(nextYear, links: new AlignmentLink(new ObjectiveId(Guid.NewGuid()))));
        Assert.Equal(OkrErrorCodes.AlignmentTargetMissing, missing.Violations.Single().Code);
        var outside = await Assert.ThrowsAsync<OkrValidationException>(() => Create(nextYear, links: new AlignmentLink(parent.Id)));
        Assert.Equal(OkrErrorCodes.AlignmentPeriod, outside.Violations.Single().Code);

        var relaxed = new OkrService(_store, _clock, new OkrServiceOptions { RequireChildPeriodInsideParent = false });
        await relaxed.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), nextYear.Id, "Allowed", OwnerRef.Team("t"), _clock, alignments: [new AlignmentLink(parent.Id)]));
    }

    [Fact]
    public async Task Check_ins_go_through_the_rules_and_corrections_keep_the_original()
    {
        var q = await ActiveQuarter();
        var o = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q)).Id);
        var kr = o.KeyResults[0].Id;
        var first = await _okr.CheckIns.RecordAsync(_tenant, kr, 150, TestData.Alice, confidence: new Confidence(0.8));
        _clock.Advance(Duration.FromDays(1));
        var fix = await _okr.CheckIns.CorrectAsync(_tenant, first.Id, 140, TestData.Alice, "typo");
        Assert.Equal(first.Id, fix.Corrects);
        Assert.Equal([first, fix], (await _okr.CheckIns.HistoryAsync(_tenant, kr)).OrderBy(c => c.RecordedAt));
        await Assert.ThrowsAsync<OkrNotFoundException>(() => _okr.CheckIns.RecordAsync(_tenant, new KeyResultId(Guid.NewGuid()), 1, TestData.Alice).AsTask());
        await Assert.ThrowsAsync<OkrNotFoundException>(() => _okr.CheckIns.CorrectAsync(_tenant, new CheckInId(Guid.NewGuid()), 1, TestData.Alice).AsTask());
    }

    [Fact]
    public async Task Retrying_a_check_in_with_its_id_records_it_once()
    {
        var q = await ActiveQuarter();
        var o = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q)).Id);
        var id = CheckInId.New(_clock);
        await _okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice, id: id);
        await _okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice, id: id);
        Assert.Single(await _okr.CheckIns.HistoryAsync(_tenant, o.KeyResults[0].Id));
    }

    [Fact]
    public async Task A_batch_with_one_bad_check_in_writes_nothing_and_names_the_index()
    {
        var q = await ActiveQuarter();
        var o = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q)).Id);
        var milestone = new KeyResult(KeyResultId.New(_clock), "Ship", new MilestoneMeasure());
        o = await _okr.Objectives.AddKeyResultAsync(_tenant, o.Id, milestone);
        var batch = new[]
        {
            CheckIn.Record(CheckInId.New(_clock), o.KeyResults[0].Id, 120, TestData.Alice, _clock),
            CheckIn.Record(CheckInId.New(_clock), milestone.Id, 0.5m, TestData.Alice, _clock),
        };
        var ex = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.CheckIns.RecordManyAsync(_tenant, batch).AsTask());
        Assert.Equal("[1].Value", Assert.Single(ex.Violations).Member);
        Assert.Empty(await _okr.CheckIns.HistoryAsync(_tenant, o.KeyResults[0].Id));
    }

    [Fact]
    public async Task An_edit_racing_another_writer_fails_with_a_concurrency_error()
    {
        var q = await ActiveQuarter();
        var o = await Create(q);
        var ex = await Assert.ThrowsAsync<OkrConcurrencyException>(() => _okr.Objectives.EditAsync(_tenant, o.Id, (current, clock) =>
        {
            // Someone else writes between our read and our write.
            _store.SaveObjectiveAsync(_tenant, current.WithTitle("Theirs", clock), current.Version).AsTask().GetAwaiter().GetResult();
            return current.WithTitle("Mine", clock);
        }).AsTask());
        Assert.Equal((1L, (long?)2), (ex.ExpectedVersion, ex.ActualVersion));
        Assert.Equal("Theirs", (await _okr.Objectives.GetAsync(_tenant, o.Id)).Title);
    }

    [Fact]
    public async Task Closing_a_period_freezes_grades_applies_overrides_and_makes_it_read_only()
    {
        var q = await ActiveQuarter();
        var company = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q, title: "Company")).Id);
        var team = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q, title: "Team", links: new AlignmentLink(company.Id))).Id);
        var draft = await Create(q, title: "Never started");
        foreach (var kr in company.KeyResults)
        {
            await _okr.CheckIns.RecordAsync(_tenant, kr.Id, 170, TestData.Alice);   // 0.7 each
        }

        await _okr.CheckIns.RecordAsync(_tenant, team.KeyResults[0].Id, 130, TestData.Alice);
        _clock.Advance(Duration.FromDays(90));
        var grades = await _okr.Periods.CloseAsync(_tenant, q.Id, new Dictionary<ObjectiveId, GradeOverride> { [team.Id] = new(0.5, OwnerRef.Person("boss"), "Reorg in week 4") });

        Assert.Equal(0.7, grades.Score!.Value, 12);   // the company objective is the only top-level one
        var closedTeam = await _okr.Objectives.GetAsync(_tenant, team.Id);
        Assert.Equal(ObjectiveState.Closed, closedTeam.State);
        Assert.Equal(0.1, closedTeam.Grade!.Computed, 12);
        Assert.Equal(0.5, closedTeam.Grade.Value);
        Assert.Equal(ObjectiveState.Draft, (await _okr.Objectives.GetAsync(_tenant, draft.Id)).State);
        Assert.Equal(PeriodState.Closed, (await _okr.Periods.GetAsync(_tenant, q.Id)).State);

        var late = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.CheckIns.RecordAsync(_tenant, company.KeyResults[0].Id, 200, TestData.Alice).AsTask());
        Assert.Contains(late.Violations, v => v.Code == OkrErrorCodes.PeriodClosed);
        await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Objectives.EditAsync(_tenant, draft.Id, (o, c) => o.WithTitle("Sneaky", c)).AsTask());

        var reopened = await _okr.Periods.ReopenAsync(_tenant, q.Id, "Figures corrected by finance");
        Assert.Equal(PeriodState.Active, reopened.State);
        await _okr.Objectives.EditAsync(_tenant, draft.Id, (o, c) => o.WithTitle("Allowed again", c));
    }

    [Fact]
    public async Task Closing_with_an_invalid_override_writes_nothing()
    {
        var q = await ActiveQuarter();
        var o = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q)).Id);
        await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Periods.CloseAsync(_tenant, q.Id, new Dictionary<ObjectiveId, GradeOverride> { [o.Id] = new(2, TestData.Alice, "too generous") }).AsTask());
        Assert.Equal(ObjectiveState.Active, (await _okr.Objectives.GetAsync(_tenant, o.Id)).State);
        Assert.Equal(PeriodState.Active, (await _okr.Periods.GetAsync(_tenant, q.Id)).State);
    }

    [Fact]
    public async Task An_override_of_an_objective_the_close_does_not_grade_fails_the_close()
    {
        // Before: a wrong id was ignored and the intended objective closed with its computed grade.
        var q = await ActiveQuarter();
        var o = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q)).Id);
        var draft = await Create(q, title: "Still a draft");
        var other = await ActiveQuarter(2);
        var elsewhere = await _okr.Objectives.ActivateAsync(_tenant, (await Create(other)).Id);
        var wrong = ObjectiveId.New(_clock);
        var error = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Periods.CloseAsync(_tenant, q.Id, new Dictionary<ObjectiveId, GradeOverride>
        {
            [wrong] = new(0.9, TestData.Alice, "Meant for the objective above"),
            [draft.Id] = new(0.5, TestData.Alice, "A draft is not graded"),
            [elsewhere.Id] = new(0.5, TestData.Alice, "Another period"),
        }).AsTask());
        Assert.Equal(
            [($"Overrides[{draft.Id}]", OkrErrorCodes.IllegalTransition), ($"Overrides[{wrong}]", OkrErrorCodes.Mismatch), ($"Overrides[{elsewhere.Id}]", OkrErrorCodes.Mismatch)],
            error.Violations.Select(v => (v.Member, v.Code)).OrderBy(v => v.Item1 == $"Overrides[{draft.Id}]" ? 0 : v.Item1 == $"Overrides[{wrong}]" ? 1 : 2));
        Assert.Equal(ObjectiveState.Active, (await _okr.Objectives.GetAsync(_tenant, o.Id)).State);
        Assert.Equal(PeriodState.Active, (await _okr.Periods.GetAsync(_tenant, q.Id)).State);
    }

    [Fact]
    public async Task A_back_dated_check_in_recorded_today_ends_staleness_without_changing_the_value_in_force()
    {
        var q = await ActiveQuarter();
        var o = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q)).Id);
        var kr = o.KeyResults[0].Id;
        _clock.Advance(Duration.FromDays(30));
        var inForce = await _okr.CheckIns.RecordAsync(_tenant, kr, 150, TestData.Alice);
        await _okr.CheckIns.RecordAsync(_tenant, o.KeyResults[1].Id, 150, TestData.Alice);
        await _okr.CheckIns.RecordAsync(_tenant, o.KeyResults[2].Id, 150, TestData.Alice);
        _clock.Advance(Duration.FromDays(20));
        var before = await _okr.Progress.GetObjectiveStatusAsync(_tenant, o.Id);
        Assert.Equal(HealthStatus.Stale, before.KeyResults[0].Health.Status);   // 20 days quiet
        Assert.Equal(HealthStatus.Stale, before.Health.Status);

        // Today someone back-fills a figure for day 10: older than the value in force, so that value stays; but a
        // check-in was recorded today, so the key result is not stale.
        var backFilled = await _okr.CheckIns.RecordAsync(_tenant, kr, 120, TestData.Alice, effectiveAt: _clock.GetCurrentInstant() - Duration.FromDays(40));
        var after = await _okr.Progress.GetObjectiveStatusAsync(_tenant, o.Id);
        Assert.Equal(inForce, after.KeyResults[0].Latest);
        Assert.NotEqual(backFilled, after.KeyResults[0].Latest);
        Assert.NotEqual(HealthStatus.Stale, after.KeyResults[0].Health.Status);
        Assert.NotEqual(HealthStatus.Stale, after.Health.Status);
        var summary = await _okr.Progress.SummarizeAsync(_tenant, q.Id);
        Assert.Equal([o.KeyResults[1].Id, o.KeyResults[2].Id], summary.Stale.Select(k => k.Progress.KeyResult.Id));   // the others are still quiet
    }

    [Fact]
    public async Task A_summary_rolls_up_the_period_with_health_and_coverage()
    {
        var q = await ActiveQuarter();
        var company = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q, title: "Company")).Id);
        var team = await _okr.Objectives.ActivateAsync(_tenant, (await Create(q, title: "Team", links: new AlignmentLink(company.Id))).Id);
        _clock.Advance(Duration.FromDays(45));
        await _okr.CheckIns.RecordAsync(_tenant, company.KeyResults[0].Id, 190, TestData.Alice);
        await _okr.CheckIns.RecordAsync(_tenant, company.KeyResults[1].Id, 160, TestData.Alice, confidence: new Confidence(0.2));
        await _okr.CheckIns.RecordAsync(_tenant, team.KeyResults[0].Id, 100, TestData.Alice);
        _clock.Advance(Duration.FromDays(20));
        await _okr.CheckIns.RecordAsync(_tenant, company.KeyResults[2].Id, 110, TestData.Alice);

        var summary = await _okr.Progress.SummarizeAsync(_tenant, q.Id);
        Assert.Equal(company.Id, summary.Objectives[0].Progress.Objective.Id);   // parents first
        Assert.Equal((0.9 + 0.6 + 0.1) / 3, summary.Score!.Value, 12);
        var companyStatus = summary.Objectives[0];
        Assert.Equal(HealthStatus.Stale, companyStatus.KeyResults[0].Health.Status);       // 20 days quiet
        Assert.Equal(HealthStatus.OffTrack, companyStatus.KeyResults[2].Health.Status);
        Assert.Contains(summary.Stale, k => k.Progress.KeyResult.Id == team.KeyResults[0].Id);
        Assert.Contains(summary.AtRisk, k => k.Progress.KeyResult.Id == company.KeyResults[2].Id);
        var coverage = Assert.Single(summary.Coverage);
        Assert.Equal((2, 1, 0.5), (coverage.Objectives, coverage.Aligned, coverage.Share));

        var status = await _okr.Progress.GetObjectiveStatusAsync(_tenant, company.Id);
        Assert.All(status.KeyResults, k => Assert.NotNull(k.Forecast));
        Assert.False(status.KeyResults[0].Forecast!.IsSufficient);   // one point is not a trend
    }
}
