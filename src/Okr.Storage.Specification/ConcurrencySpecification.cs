using NodaTime;
using Okr.Core;
using Okr.Core.Alignment;
using Okr.Core.Rules;
using Okr.Core.Scoring;
using Okr.Core.Service;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

// The rules hold at commit time, across store instances: each race the facade can lose is pinned with a PausingStore
// on one instance (decide, hold the commit, let a whole competing write through a second instance, then release), and
// the loser must fail with OkrConcurrencyException and write nothing.
public abstract partial class OkrStoreSpecification
{
    // A property, not a field: a static field here could be initialised before Start (another file of this partial
    // class), and the races would run in 1970.
    private static Instant Now => Start + Duration.FromDays(10);

    /// <summary>
    /// A second instance of the store over the same data (the same database file, the same database), as a second
    /// application instance would open it. The default returns <paramref name="first"/> itself, which is right only
    /// for a store whose data lives in its own process memory.
    /// </summary>
    /// <param name="first">The store made by <see cref="CreateStoreAsync"/>.</param>
    /// <returns>The second instance; released with <see cref="ReleaseStoreAsync"/> when it is not the first.</returns>
    protected virtual ValueTask<IOkrStore> CreateSecondInstanceAsync(IOkrStore first) => ValueTask.FromResult(first);

    /// <summary>A check-in decided before a close, and committed after it, fails: nothing lands after the grades.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_a_check_in_decided_before_a_close_fails_when_the_close_commits_first() => Race(async r =>
    {
        var (period, objective) = await r.ActiveObjectiveAsync();
        var kr = objective.KeyResults[0].Id;
        var append = await r.HoldAsync(s => s.CheckIns.RecordAsync(r.Tenant, kr, 2000m, Author).AsTask());
        var assessment = await r.Other.Periods.CloseAsync(r.Tenant, period.Id);
        await r.LoseAsync(append);

        Assert.Empty(await ToListAsync(r.Store.GetHistoryAsync(r.Tenant, kr)));
        var closed = await r.Store.GetObjectiveAsync(r.Tenant, objective.Id);
        Assert.Equal(ObjectiveState.Closed, closed!.State);
        Assert.Equal(assessment.Objectives.Single().Grade, closed.Grade);
        await r.AssertGradesMatchStoredValuesAsync(period.Id);
    });

    /// <summary>A close decided before a check-in, and committed after it, fails; the retry grades the check-in.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_a_close_decided_before_a_check_in_fails_and_its_retry_grades_the_check_in() => Race(async r =>
    {
        var (period, objective) = await r.ActiveObjectiveAsync();
        var kr = objective.KeyResults[0].Id;
        var close = await r.HoldAsync(s => s.Periods.CloseAsync(r.Tenant, period.Id).AsTask());
        await r.Other.CheckIns.RecordAsync(r.Tenant, kr, 2500.25m, Author);
        await r.LoseAsync(close);

        Assert.Equal(PeriodState.Active, (await r.Store.GetPeriodAsync(r.Tenant, period.Id))!.State);
        Assert.Equal(ObjectiveState.Active, (await r.Store.GetObjectiveAsync(r.Tenant, objective.Id))!.State);
        await r.Other.Periods.CloseAsync(r.Tenant, period.Id);
        await r.AssertGradesMatchStoredValuesAsync(period.Id);
        Assert.True((await r.Store.GetObjectiveAsync(r.Tenant, objective.Id))!.Grade!.Computed > 0);
    });

    /// <summary>x → y and y → x decided at the same moment: one commits, the other fails, and no cycle is ever stored.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_two_alignments_that_would_close_a_cycle_never_both_commit() => Race(async r =>
    {
        var (period, x) = await r.ActiveObjectiveAsync();
        var y = await r.Other.Objectives.CreateAsync(r.Tenant, NewObjective(period.Id, "Y"));
        var first = await r.HoldAsync(s => s.Objectives.AlignAsync(r.Tenant, x.Id, new AlignmentLink(y.Id)).AsTask());
        await r.Other.Objectives.AlignAsync(r.Tenant, y.Id, new AlignmentLink(x.Id));
        await r.LoseAsync(first);

        var retry = await Assert.ThrowsAsync<OkrValidationException>(async () => await r.Held.Objectives.AlignAsync(r.Tenant, x.Id, new AlignmentLink(y.Id)));
        Assert.Contains(retry.Violations, v => v.Code == OkrErrorCodes.AlignmentCycle);
        var stored = await ToListAsync(r.Store.ListObjectivesAsync(r.Tenant, new ObjectiveQuery { Period = period.Id }));
        _ = AlignmentGraph.Build(stored);   // throws on a stored cycle
        Assert.Empty((await r.Store.GetObjectiveAsync(r.Tenant, x.Id))!.Alignments);
    });

    /// <summary>Two creates of one period id: exactly one commits; the other fails and replaces nothing.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_two_creates_of_one_period_have_exactly_one_winner() => Race(async r =>
    {
        var id = new PeriodId(Guid.NewGuid());
        var held = await r.HoldAsync(s => s.Periods.CreateAsync(r.Tenant, OkrPeriod.CalendarQuarter(id, 2026, 1)).AsTask());
        var winner = await r.Other.Periods.CreateAsync(r.Tenant, OkrPeriod.CalendarQuarter(id, 2026, 2));
        await r.LoseAsync(held);

        Assert.Equal(winner, await r.Store.GetPeriodAsync(r.Tenant, id));
        Assert.Single(await ToListAsync(r.Store.ListPeriodHistoryAsync(r.Tenant, id)));
    });

    /// <summary>Archive and reopen decided on one closed period: the one that commits first wins.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_archive_and_reopen_have_exactly_one_winner() => Race(async r =>
    {
        var (period, _) = await r.ActiveObjectiveAsync();
        await r.Other.Periods.CloseAsync(r.Tenant, period.Id);
        var archive = await r.HoldAsync(s => s.Periods.ArchiveAsync(r.Tenant, period.Id).AsTask());
        var reopened = await r.Other.Periods.ReopenAsync(r.Tenant, period.Id, "Late figures");
        await r.LoseAsync(archive);

        Assert.Equal(reopened, await r.Store.GetPeriodAsync(r.Tenant, period.Id));
        Assert.Equal(PeriodState.Active, reopened.State);
    });

    /// <summary>An activation decided before a close fails when the close commits first: no active, ungraded objective in a closed period.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_an_activation_decided_before_a_close_fails_when_the_close_commits_first() => Race(async r =>
    {
        var (period, _) = await r.ActiveObjectiveAsync();
        var draft = await r.Other.Objectives.CreateAsync(r.Tenant, NewObjective(period.Id, "Late draft"));
        var activate = await r.HoldAsync(s => s.Objectives.ActivateAsync(r.Tenant, draft.Id).AsTask());
        await r.Other.Periods.CloseAsync(r.Tenant, period.Id);
        await r.LoseAsync(activate);

        Assert.Equal(ObjectiveState.Draft, (await r.Store.GetObjectiveAsync(r.Tenant, draft.Id))!.State);
        await r.AssertNoActiveObjectiveInClosedPeriodAsync(period.Id);
    });

    /// <summary>A close decided before an activation fails when the activation commits first.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_a_close_decided_before_an_activation_fails_when_the_activation_commits_first() => Race(async r =>
    {
        var (period, _) = await r.ActiveObjectiveAsync();
        var draft = await r.Other.Objectives.CreateAsync(r.Tenant, NewObjective(period.Id, "Late draft"));
        var close = await r.HoldAsync(s => s.Periods.CloseAsync(r.Tenant, period.Id).AsTask());
        await r.Other.Objectives.ActivateAsync(r.Tenant, draft.Id);
        await r.LoseAsync(close);

        Assert.Equal(PeriodState.Active, (await r.Store.GetPeriodAsync(r.Tenant, period.Id))!.State);
        await r.Other.Periods.CloseAsync(r.Tenant, period.Id);
        await r.AssertNoActiveObjectiveInClosedPeriodAsync(period.Id);
    });

    /// <summary>A new objective created in a period after a close counted it fails the close.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_a_close_fails_when_an_objective_arrives_after_it_counted_the_period() => Race(async r =>
    {
        var (period, _) = await r.ActiveObjectiveAsync();
        var close = await r.HoldAsync(s => s.Periods.CloseAsync(r.Tenant, period.Id).AsTask());
        await r.Other.Objectives.CreateAsync(r.Tenant, NewObjective(period.Id, "Arrived late"));
        await r.LoseAsync(close);
        Assert.Equal(PeriodState.Active, (await r.Store.GetPeriodAsync(r.Tenant, period.Id))!.State);
    });

    /// <summary>Two edits decided on one version: the second to commit fails instead of overwriting the first.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_two_edits_of_one_version_never_overwrite_each_other() => Race(async r =>
    {
        var (_, objective) = await r.ActiveObjectiveAsync();
        var held = await r.HoldAsync(s => s.Objectives.EditAsync(r.Tenant, objective.Id, (o, c) => o.WithTitle("Mine", c)).AsTask());
        var theirs = await r.Other.Objectives.EditAsync(r.Tenant, objective.Id, (o, c) => o.WithTitle("Theirs", c));
        await r.LoseAsync(held);
        Assert.Equal(theirs, await r.Store.GetObjectiveAsync(r.Tenant, objective.Id));
    });

    /// <summary>
    /// Two carry-overs of one objective decided at the same moment: one commits, the other fails, and its retry reports
    /// the copy as already carried; the target period holds exactly one copy.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_two_carry_overs_of_one_objective_make_one_copy() => Race(async r =>
    {
        var (period, objective) = await r.ActiveObjectiveAsync();
        var next = await r.Other.Periods.CreateAsync(r.Tenant, Quarter(2026, 2));
        var held = await r.HoldAsync(s => s.Periods.CarryOverAsync(r.Tenant, period.Id, next.Id, [objective.Id]).AsTask());
        var theirs = await r.Other.Periods.CarryOverAsync(r.Tenant, period.Id, next.Id, [objective.Id]);
        await r.LoseAsync(held);

        var retry = await r.Held.Periods.CarryOverAsync(r.Tenant, period.Id, next.Id, [objective.Id]);
        Assert.True(retry[0].AlreadyCarried);
        Assert.Equal(theirs[0].Copy, retry[0].Copy);
        var copies = await ToListAsync(r.Store.ListObjectivesAsync(r.Tenant, new ObjectiveQuery { Period = next.Id }));
        Assert.Equal([theirs[0].Copy.Id], copies.Select(o => o.Id));
    });

    /// <summary>A carry-over that re-bases baselines, decided before a late check-in into the source period, fails; its retry starts from the new value.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_a_rebasing_carry_over_fails_when_a_check_in_lands_in_the_source_period() => Race(async r =>
    {
        var (period, objective) = await r.ActiveObjectiveAsync();
        var next = await r.Other.Periods.CreateAsync(r.Tenant, Quarter(2026, 2));
        var rebase = new CarryOverOptions { RebaseBaselines = true };
        var held = await r.HoldAsync(s => s.Periods.CarryOverAsync(r.Tenant, period.Id, next.Id, [objective.Id], rebase).AsTask());
        await r.Other.CheckIns.RecordAsync(r.Tenant, objective.KeyResults[0].Id, 2000m, Author);
        await r.LoseAsync(held);

        Assert.Empty(await ToListAsync(r.Store.ListObjectivesAsync(r.Tenant, new ObjectiveQuery { Period = next.Id })));
        var retry = await r.Held.Periods.CarryOverAsync(r.Tenant, period.Id, next.Id, [objective.Id], rebase);
        Assert.Equal(2000m, ((IncreaseMeasure)retry[0].Copy.KeyResults[0].Measure).Baseline);
    });

    /// <summary>
    /// Two quarters that share days, with different ids and names, created at the same moment: the one decided first and
    /// committed second fails, so the tenant never holds both; its retry is refused by the rule.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_two_overlapping_quarters_never_both_commit() => Race(async r =>
    {
        var fiscal = OkrPeriod.FiscalQuarter(new PeriodId(Guid.NewGuid()), 2026, 4, 4);
        var held = await r.HoldAsync(s => s.Periods.CreateAsync(r.Tenant, fiscal).AsTask());
        var calendar = await r.Other.Periods.CreateAsync(r.Tenant, Quarter(2026, 1));
        await r.LoseAsync(held);

        Assert.Equal([calendar.Id], (await ToListAsync(r.Store.ListPeriodsAsync(r.Tenant))).Select(p => p.Id));
        var retry = await Assert.ThrowsAsync<OkrValidationException>(async () => await r.Held.Periods.CreateAsync(r.Tenant, fiscal));
        Assert.Contains(retry.Violations, v => v.Code == OkrErrorCodes.PeriodOverlap);
    });

    /// <summary>
    /// With one active period per kind required, two quarters activated at the same moment on two instances never
    /// both become active: the activation decided first and committed second fails, and its retry is refused by the rule.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_two_activations_of_one_kind_never_both_commit() => Race(
        async r =>
        {
            var q1 = await r.Other.Periods.CreateAsync(r.Tenant, Quarter(2026, 1));
            var q2 = await r.Other.Periods.CreateAsync(r.Tenant, Quarter(2026, 2));
            var held = await r.HoldAsync(s => s.Periods.ActivateAsync(r.Tenant, q1.Id).AsTask());
            await r.Other.Periods.ActivateAsync(r.Tenant, q2.Id);
            await r.LoseAsync(held);

            var periods = await ToListAsync(r.Store.ListPeriodsAsync(r.Tenant));
            Assert.Equal([q2.Id], periods.Where(p => p.State == PeriodState.Active).Select(p => p.Id));
            var retry = await Assert.ThrowsAsync<OkrValidationException>(async () => await r.Held.Periods.ActivateAsync(r.Tenant, q1.Id));
            Assert.Contains(retry.Violations, v => v.Code == OkrErrorCodes.PeriodActiveConflict);
        },
        new OkrServiceOptions { Rules = OkrRules.CreateDefault(new OkrRuleOptions { SingleActivePeriodPerKind = true }) });

    /// <summary>
    /// Two amounts a source adds to one key result at the same moment, on two instances, both count: the one decided
    /// first and committed second finds the period changed, reads again, and adds to the value the other recorded.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_two_added_readings_of_one_key_result_both_count() => Race(async r =>
    {
        var (_, objective) = await r.ActiveObjectiveAsync();
        var kr = objective.KeyResults[0];
        var baseline = kr.Measure is IncreaseMeasure m ? m.Baseline : 0m;
        var crm = OwnerRef.Person("svc-crm");
        var later = r.HoldAsync(s => s.CheckIns.RecordFromSourceAsync(r.Tenant, new MetricReading(kr.Id, "crm", "k", Now - Duration.FromHours(1), 5m, MetricReadingMode.Add), crm).AsTask());
        var held = await later;
        var earlier = await r.Other.CheckIns.RecordFromSourceAsync(r.Tenant, new MetricReading(kr.Id, "crm", "k", Now - Duration.FromHours(2), 7m, MetricReadingMode.Add), crm);
        r.Door.Release();
        var result = await held;

        Assert.Equal((MetricRecordOutcome.Recorded, MetricRecordOutcome.Recorded), (earlier.Outcome, result.Outcome));
        Assert.Equal([baseline + 7m, baseline + 12m], (await ToListAsync(r.Store.GetHistoryAsync(r.Tenant, kr.Id))).Select(c => c.Value));
    });

    /// <summary>
    /// An amount a source adds is conditional on its own key result only: a check-in of another key result of the same
    /// objective and period, landing between the reading's decision and its commit, does not make it read again (one
    /// commit), and the amount is added to its own key result's value as read.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_an_added_reading_commits_once_past_a_check_in_of_another_key_result() => Race(async r =>
    {
        var (_, objective) = await r.ActiveObjectiveAsync();
        var (mine, other) = (objective.KeyResults[0], objective.KeyResults[1]);
        var baseline = ((IncreaseMeasure)mine.Measure).Baseline;
        var held = await r.HoldAsync(s => s.CheckIns.RecordFromSourceAsync(r.Tenant, new MetricReading(mine.Id, "crm", "k", Now - Duration.FromHours(1), 5m, MetricReadingMode.Add), OwnerRef.Person("svc-crm")).AsTask());
        await r.Other.CheckIns.RecordAsync(r.Tenant, other.Id, 4m, Author);
        r.Door.Release();

        Assert.Equal(MetricRecordOutcome.Recorded, (await held).Outcome);
        Assert.Equal(1, r.Door.Commits);
        Assert.Equal([baseline + 5m], (await ToListAsync(r.Store.GetHistoryAsync(r.Tenant, mine.Id))).Select(c => c.Value));
        Assert.Equal([4m], (await ToListAsync(r.Store.GetHistoryAsync(r.Tenant, other.Id))).Select(c => c.Value));
    });

    /// <summary>
    /// Of two readings of one source racing on two instances, the older one decided first and committed second is found
    /// older when it reads again, and nothing of it is written: the "older" rule holds at commit time, for set readings
    /// as for added ones.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Race_an_older_set_reading_committed_after_a_newer_one_is_found_older() => Race(async r =>
    {
        var (_, objective) = await r.ActiveObjectiveAsync();
        var kr = objective.KeyResults[0];
        var crm = OwnerRef.Person("svc-crm");
        var older = await r.HoldAsync(s => s.CheckIns.RecordFromSourceAsync(r.Tenant, new MetricReading(kr.Id, "crm", "k", Now - Duration.FromHours(2), 1500m, MetricReadingMode.Set), crm).AsTask());
        var newer = await r.Other.CheckIns.RecordFromSourceAsync(r.Tenant, new MetricReading(kr.Id, "crm", "k", Now - Duration.FromHours(1), 1700m, MetricReadingMode.Set), crm);
        r.Door.Release();

        Assert.Equal((MetricRecordOutcome.Recorded, MetricRecordOutcome.Older), (newer.Outcome, (await older).Outcome));
        Assert.Equal([1700m], (await ToListAsync(r.Store.GetHistoryAsync(r.Tenant, kr.Id))).Select(c => c.Value));
    });

    /// <summary>
    /// <see cref="OkrChangeSet.ExpectCheckInCount"/> at the store: a unit commits while its key result holds the count
    /// it read, whatever other key results gained; once one check-in of it landed the unit fails, naming both counts,
    /// and writes nothing. A count expected of a key result with no check-ins, which the unit does not append to, leaves
    /// that key result without a current value.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_check_in_count_expectation_holds_until_a_check_in_of_its_key_result_lands() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = Quarter();
        var objective = NewObjective(period.Id);
        var (kr, other, silent) = (objective.KeyResults[0].Id, objective.KeyResults[1].Id, objective.KeyResults[2].Id);
        await store.ImportAsync(tenant, new Okr.Core.Serialization.OkrDocument(tenant, [period], [objective], [NewCheckIn(kr, 1200m)]));

        await store.CommitAsync(tenant, new OkrChangeSet().ExpectCheckInCount(kr, 1).ExpectCheckInCount(silent, 0).Append([NewCheckIn(other, 5m, 1)]));
        await store.CommitAsync(tenant, new OkrChangeSet().ExpectCheckInCount(kr, 1).Append([NewCheckIn(kr, 1300m, 2)]));

        var stale = await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await store.CommitAsync(tenant, new OkrChangeSet().ExpectCheckInCount(kr, 1).Append([NewCheckIn(kr, 1400m, 3)])));
        Assert.Equal((1L, 2L), (stale.ExpectedVersion, stale.ActualVersion!.Value));
        Assert.Contains($"Key result {kr}", stale.Message, StringComparison.Ordinal);
        Assert.Equal([1200m, 1300m], (await ToListAsync(store.GetHistoryAsync(tenant, kr))).Select(c => c.Value));

        var current = await store.GetCurrentValuesAsync(tenant, [kr, other, silent], Start + Duration.FromDays(10));
        Assert.Equal((1300m, 5m, false), (current[kr].InForce!.Value, current[other].InForce!.Value, current.ContainsKey(silent)));
    });

    /// <summary>A caller's loaded version (an ETag) that is stale fails every facade write, naming both versions.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Stale_expected_versions_fail_naming_both_versions() => Race(async r =>
    {
        var (period, objective) = await r.ActiveObjectiveAsync();
        var loaded = objective.Version;
        await r.Other.Objectives.EditAsync(r.Tenant, objective.Id, (o, c) => o.WithTitle("Edited elsewhere", c));
        var edit = await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await r.Held.Objectives.EditAsync(r.Tenant, objective.Id, (o, c) => o.WithTitle("Mine", c), loaded));
        Assert.Equal((loaded, loaded + 1), (edit.ExpectedVersion, edit.ActualVersion!.Value));
        Assert.Contains($"version {loaded + 1}", edit.Message, StringComparison.Ordinal);
        Assert.Contains($"not {loaded}", edit.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await r.Held.Objectives.CancelAsync(r.Tenant, objective.Id, loaded));
        await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await r.Held.Objectives.AlignAsync(r.Tenant, objective.Id, new AlignmentLink(new ObjectiveId(Guid.NewGuid())), loaded));
        Assert.Equal("Edited elsewhere", (await r.Store.GetObjectiveAsync(r.Tenant, objective.Id))!.Title);

        var periodLoaded = period.Version;
        await r.Other.Periods.CloseAsync(r.Tenant, period.Id);
        var reopen = await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await r.Held.Periods.ReopenAsync(r.Tenant, period.Id, "Late", periodLoaded));
        Assert.Equal((periodLoaded, periodLoaded + 1), (reopen.ExpectedVersion, reopen.ActualVersion!.Value));
        var current = (await r.Store.GetPeriodAsync(r.Tenant, period.Id))!;
        Assert.Equal(PeriodState.Active, (await r.Held.Periods.ReopenAsync(r.Tenant, period.Id, "Late", current.Version)).State);
    });

    /// <summary>
    /// Unpinned: closes and check-ins race freely on two instances, a few rounds. Whoever wins, the stored grades
    /// equal a recompute from the stored check-ins, and every failure is a concurrency or rule error.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Racing_closes_and_check_ins_never_leave_a_check_in_after_the_grade() => Race(async r =>
    {
        for (var round = 0; round < 4; round++)
        {
            var (period, objective) = await r.ActiveObjectiveAsync($"Round {round}");
            var appends = Enumerable.Range(0, 3).Select(i => Attempt(r.Held.CheckIns.RecordAsync(r.Tenant, objective.KeyResults[i % 3].Id, 1500m + i, Author, Start + Duration.FromMinutes(i)).AsTask())).ToList();
            var close = Attempt(r.Other.Periods.CloseAsync(r.Tenant, period.Id).AsTask());
            await Task.WhenAll([.. appends, close]);
            if (await close is not null)
            {
                await r.Other.Periods.CloseAsync(r.Tenant, period.Id);
            }

            await r.AssertGradesMatchStoredValuesAsync(period.Id);
        }
    });

    /// <summary>
    /// Closing a period of many objectives (more than a store's bulk threshold) grades and closes every one in the one
    /// commit, bumps each version, and keeps each replaced version in the audit trail.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Closing_a_large_period_closes_every_objective_in_one_commit() => Race(async r =>
    {
        var period = await r.Other.Periods.CreateAsync(r.Tenant, Quarter());
        period = await r.Other.Periods.ActivateAsync(r.Tenant, period.Id);
        var objectives = Enumerable.Range(0, 40).Select(i => Active(NewObjective(period.Id, $"Objective {i}"))).ToList();
        await r.Store.ImportAsync(r.Tenant, new Okr.Core.Serialization.OkrDocument(r.Tenant, [], objectives, [NewCheckIn(objectives[0].KeyResults[0].Id, 2000m)]));
        var assessment = await r.Held.Periods.CloseAsync(r.Tenant, period.Id);

        Assert.Equal(40, assessment.Objectives.Count);
        var stored = await ToListAsync(r.Store.ListObjectivesAsync(r.Tenant, new ObjectiveQuery { Period = period.Id }));
        Assert.All(stored, o => Assert.Equal((ObjectiveState.Closed, 1L), (o.State, o.Version)));
        Assert.Equal(assessment.Objectives.ToDictionary(a => a.Objective.Id, a => a.Grade), stored.ToDictionary(o => o.Id, o => o.Grade!));
        Assert.Equal([ObjectiveState.Active, ObjectiveState.Closed], (await ToListAsync(r.Store.ListObjectiveHistoryAsync(r.Tenant, objectives[7].Id))).Select(o => o.State));
        await r.AssertGradesMatchStoredValuesAsync(period.Id);

        static Objective Active(Objective o) => new(o.Id, o.PeriodId, o.Title, o.Description, o.Owner, o.Kind, ObjectiveState.Active, o.Visibility, o.KeyResults, o.Alignments, 0, o.CreatedAt, o.UpdatedAt, null);
    });

    /// <summary>
    /// A unit that rewrites many stored objectives (past a store's bulk threshold), some with other key results,
    /// keeps the key-result index exact: removed key results are gone, added ones found, untouched ones kept.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_large_unit_keeps_the_key_result_index_exact() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = Quarter();
        var objectives = Enumerable.Range(0, 40).Select(i => NewObjective(period.Id, $"Objective {i}")).ToList();
        await store.ImportAsync(tenant, new Okr.Core.Serialization.OkrDocument(tenant, [period], objectives, []));
        var clock = new FixedClock(Start);
        var added = new KeyResult(new KeyResultId(Guid.NewGuid()), "Added", new MilestoneMeasure());
        var removed = objectives[3].KeyResults[2];
        var changes = new OkrChangeSet();
        for (var i = 0; i < objectives.Count; i++)
        {
            var o = objectives[i];
            changes.Save(i == 3 ? o.WithKeyResults([.. o.KeyResults.Take(2), added], clock) : o.WithTitle($"Renamed {i}", clock), o.Version);
        }

        var result = await store.CommitAsync(tenant, changes);
        Assert.Equal(40, result.Objectives.Count);
        Assert.Null(await store.FindObjectiveByKeyResultAsync(tenant, removed.Id));
        Assert.Equal(objectives[3].Id, (await store.FindObjectiveByKeyResultAsync(tenant, added.Id))!.Id);
        Assert.Equal(objectives[9].Id, (await store.FindObjectiveByKeyResultAsync(tenant, objectives[9].KeyResults[1].Id))!.Id);
        Assert.Equal("Renamed 9", (await store.GetObjectiveAsync(tenant, objectives[9].Id))!.Title);

        // A key result held by an objective outside the unit still fails the whole unit.
        var thief = objectives[5].WithKeyResults([.. objectives[5].KeyResults, objectives[20].KeyResults[0]], clock);
        var steal = new OkrChangeSet();
        foreach (var o in await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period.Id })))
        {
            if (o.Id != objectives[20].Id)
            {
                steal.Save(o.Id == thief.Id ? thief.WithVersion(o.Version) : o, o.Version);
            }
        }

        var before = Okr.Core.Serialization.OkrJson.Serialize(await store.ExportAsync(tenant));
        await Assert.ThrowsAsync<OkrValidationException>(async () => await store.CommitAsync(tenant, steal));
        Assert.Equal(before, Okr.Core.Serialization.OkrJson.Serialize(await store.ExportAsync(tenant)));
    });

    /// <summary>Runs a task and returns its failure, which must be a concurrency or rule error; null on success.</summary>
    private static async Task<Exception?> Attempt(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is OkrConcurrencyException or OkrValidationException)
        {
            return ex;
        }
    }

    private async Task Race(Func<Racers, Task> test, OkrServiceOptions? options = null)
    {
        var store = await CreateStoreAsync().ConfigureAwait(false);
        var second = await CreateSecondInstanceAsync(store).ConfigureAwait(false);
        try
        {
            var door = new PausingStore(store);
            var clock = new FixedClock(Now);
            await test(new Racers(NewTenant(), store, door, new OkrService(door, clock, options), new OkrService(second, clock, options))).ConfigureAwait(false);
        }
        finally
        {
            if (!ReferenceEquals(second, store))
            {
                await ReleaseStoreAsync(second).ConfigureAwait(false);
            }

            await ReleaseStoreAsync(store).ConfigureAwait(false);
        }
    }

    /// <summary>Two facades over two instances of one store: <see cref="Held"/> goes through a door the test controls.</summary>
    private sealed record Racers(TenantId Tenant, IOkrStore Store, PausingStore Door, OkrService Held, OkrService Other)
    {
        /// <summary>An active period (the first quarter of 2026, or a custom period of that name) with one active objective of three key results.</summary>
        public async Task<(OkrPeriod Period, Objective Objective)> ActiveObjectiveAsync(string? name = null)
        {
            var period = await Other.Periods.CreateAsync(Tenant, name is null ? Quarter() : OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), name, new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 30))).ConfigureAwait(false);
            period = await Other.Periods.ActivateAsync(Tenant, period.Id).ConfigureAwait(false);
            var objective = await Other.Objectives.CreateAsync(Tenant, NewObjective(period.Id)).ConfigureAwait(false);
            objective = await Other.Objectives.ActivateAsync(Tenant, objective.Id).ConfigureAwait(false);
            return (period, objective);
        }

        /// <summary>Starts <paramref name="write"/> on <see cref="Held"/> and returns once it has decided and waits at the commit.</summary>
        public async Task<Task<T>> HoldAsync<T>(Func<OkrService, Task<T>> write)
        {
            Door.HoldNextCommit();
            var task = write(Held);
            await Task.WhenAny(Door.Arrived, task).ConfigureAwait(false);
            if (task.IsCompleted)
            {
                await task.ConfigureAwait(false);   // surfaces why it never reached the commit
                Assert.Fail("The held write completed without committing through the store.");
            }

            return task;
        }

        /// <summary>Releases the held write, which must lose with <see cref="OkrConcurrencyException"/>.</summary>
        public async Task LoseAsync<T>(Task<T> held)
        {
            Door.Release();
            await Assert.ThrowsAsync<OkrConcurrencyException>(() => held).ConfigureAwait(false);
        }

        /// <summary>Every closed objective's stored grade equals the grade computed now from the stored check-ins.</summary>
        public async Task AssertGradesMatchStoredValuesAsync(PeriodId period)
        {
            var system = new OkrService(Store, Other.Clock, Other.Options);
            var summary = await system.Progress.SummarizeAsync(Tenant, period).ConfigureAwait(false);
            var assessor = new OkrAssessor(Other.Options.Scoring, Other.Options.Assessment);
            foreach (var status in summary.Objectives.Where(o => o.Progress.Objective.State == ObjectiveState.Closed))
            {
                Assert.Equal(assessor.Assess(status.Progress).Grade.Computed, status.Progress.Objective.Grade!.Computed);
            }

            if (summary.Period.State == PeriodState.Closed)
            {
                Assert.DoesNotContain(summary.Objectives, o => o.Progress.Objective.State == ObjectiveState.Active);
            }
        }

        public async Task AssertNoActiveObjectiveInClosedPeriodAsync(PeriodId period)
        {
            Assert.Equal(PeriodState.Closed, (await Store.GetPeriodAsync(Tenant, period).ConfigureAwait(false))!.State);
            var objectives = await ToListAsync(Store.ListObjectivesAsync(Tenant, new ObjectiveQuery { Period = period })).ConfigureAwait(false);
            Assert.DoesNotContain(objectives, o => o.State == ObjectiveState.Active);
            Assert.All(objectives.Where(o => o.State == ObjectiveState.Closed), o => Assert.NotNull(o.Grade));
        }
    }
}
