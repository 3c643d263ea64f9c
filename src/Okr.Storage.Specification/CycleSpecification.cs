using System.Text;
using NodaTime;
using Okr.Core;
using Okr.Core.Rules;
using Okr.Core.Scoring;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    /// <summary>
    /// Through the facade, on this store: readings from a system of record are recorded once however often they arrive
    /// (on this instance or another), an older one never replaces a newer one, an added amount adds to the value in
    /// force, and the key result's binding survives the store's bodies.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Readings_from_a_source_are_recorded_once_and_never_replace_newer_ones() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var clock = new SteppingClock(Start);
        var okr = new OkrService(store, clock);
        var period = await okr.Periods.CreateAsync(tenant, Quarter());
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var draft = NewObjective(period.Id, "Grow revenue");
        var bound = draft.KeyResults[0].WithMetric(new MetricBinding("crm", "revenue-eur"));
        draft = new Objective(draft.Id, draft.PeriodId, draft.Title, draft.Description, draft.Owner, draft.Kind, draft.State, draft.Visibility, [bound, .. draft.KeyResults.Skip(1)], [], 0, Start, Start, null);
        var objective = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, draft)).Id);
        Assert.Equal(bound.Metric, (await okr.Objectives.GetAsync(tenant, objective.Id)).KeyResults[0].Metric);
        clock.Advance(Duration.FromDays(20));
        var crm = OwnerRef.Person("svc-crm");
        MetricReading Reading(int day, decimal value, MetricReadingMode mode = MetricReadingMode.Set) => new(bound.Id, "crm", "revenue-eur", Start + Duration.FromDays(day), value, mode);

        var first = await okr.CheckIns.RecordFromSourceAsync(tenant, Reading(5, 1500m), crm);
        Assert.Equal((MetricRecordOutcome.Recorded, 1500m), (first.Outcome, first.CheckIn!.Value));
        var again = await new OkrService(store, clock).CheckIns.RecordFromSourceAsync(tenant, Reading(5, 1500m), crm);   // another instance, the same reading
        Assert.Equal((MetricRecordOutcome.Duplicate, first.CheckIn.Id), (again.Outcome, again.CheckIn!.Id));
        Assert.Equal(MetricRecordOutcome.Older, (await okr.CheckIns.RecordFromSourceAsync(tenant, Reading(3, 900m), crm)).Outcome);
        var added = await okr.CheckIns.RecordFromSourceAsync(tenant, Reading(7, 250m, MetricReadingMode.Add), crm);
        Assert.Equal((MetricRecordOutcome.Recorded, 1750m), (added.Outcome, added.CheckIn!.Value));
        Assert.Equal(MetricRecordOutcome.Duplicate, (await okr.CheckIns.RecordFromSourceAsync(tenant, Reading(7, 250m, MetricReadingMode.Add), crm)).Outcome);

        var history = await okr.CheckIns.HistoryAsync(tenant, bound.Id);
        Assert.Equal([1500m, 1750m], history.Select(c => c.Value));
        Assert.All(history, c => Assert.Equal(crm, c.Author));
        Assert.Contains("From crm (revenue-eur)", history[0].Note, StringComparison.Ordinal);
        Assert.Equal(1750m, (await okr.Progress.GetObjectiveStatusAsync(tenant, objective.Id)).KeyResults[0].Latest!.Value);
    });

    /// <summary>
    /// Through the facade, on this store: cadences set on an objective and a key result survive the store's bodies, and
    /// <see cref="OkrCheckIns.DueAsync"/> reads from the store's maintained values who owes which check-in, whether the
    /// instant asked about is now or before a later check-in.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Check_ins_are_due_by_the_cadences_the_store_keeps() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var clock = new SteppingClock(Start);
        var okr = new OkrService(store, clock, new OkrServiceOptions { Cadence = CheckInCadence.Monthly() });
        var period = await okr.Periods.CreateAsync(tenant, Quarter());
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var draft = NewObjective(period.Id, "Grow the partner channel");
        var krs = draft.KeyResults.Select((k, i) => i == 0 ? k.WithCadence(CheckInCadence.EveryWeeks(2, IsoDayOfWeek.Tuesday)) : k).ToList();
        draft = new Objective(draft.Id, draft.PeriodId, draft.Title, draft.Description, draft.Owner, draft.Kind, draft.State, draft.Visibility, krs, [], 0, Start, Start, null)
        {
            Cadence = CheckInCadence.Weekly(IsoDayOfWeek.Monday, 2),
        };
        var objective = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, draft)).Id);
        var other = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, NewObjective(period.Id, "Keep the lights on"))).Id);

        var stored = await okr.Objectives.GetAsync(tenant, objective.Id);
        Assert.Equal((draft.Cadence, krs[0].Cadence), (stored.Cadence, stored.KeyResults[0].Cadence));

        // Checked in on Saturday 17 January; asked on Wednesday 21 January (UTC): the weekly key results owe nothing
        // (Monday the 19th's two grace days reach back to Saturday), the fortnightly one is owed since Tuesday the 20th.
        clock.Advance(Instant.FromUtc(2026, 1, 17, 12, 0) - Start);
        foreach (var kr in objective.KeyResults)
        {
            await okr.CheckIns.RecordAsync(tenant, kr.Id, kr.Measure is MilestoneMeasure ? 1m : 10m, Manager);
        }

        var wednesday = Instant.FromUtc(2026, 1, 21, 12, 0);
        var due = await okr.CheckIns.DueAsync(tenant, period.Id, wednesday);
        var mine = Assert.Single(due, d => d.Objective.Id == objective.Id);
        Assert.Equal((objective.KeyResults[0].Id, new LocalDate(2026, 1, 20), 1), (mine.KeyResult.Id, mine.Since, mine.Missed));
        Assert.Equal(CadenceSource.KeyResult, mine.Cadence.Source);
        Assert.Equal(3, due.Count(d => d.Objective.Id == other.Id && d.Cadence.Source == CadenceSource.Tenant && d.Since == new LocalDate(2026, 1, 1)));

        // Asked about an instant before the check-ins were recorded, the store's histories answer for then.
        var before = await okr.CheckIns.DueAsync(tenant, period.Id, Instant.FromUtc(2026, 1, 13, 12, 0));
        Assert.Equal(3, before.Count(d => d.Objective.Id == objective.Id));
        Assert.All(before.Where(d => d.Objective.Id == objective.Id), d => Assert.Null(d.LastRecordedAt));
    });

    /// <summary>
    /// Through the facade, on this store: a key result whose level a person chooses scores that level's score, refuses a
    /// value that is no level's position, and survives the store's own bodies and an export read back into another tenant.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task An_ordinal_key_result_scores_its_chosen_level_and_round_trips() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var clock = new SteppingClock(Start);
        var okr = new OkrService(store, clock).As(Manager);
        var period = await okr.Periods.CreateAsync(tenant, Quarter());
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var levels = new OrdinalMeasure([new("missed", 0), new("partly", 0.5), new("Met", 0.8), new("beyond", 1)]);
        var draft = NewObjective(period.Id, "Ship the partner portal");
        var chosen = new KeyResult(new KeyResultId(Guid.NewGuid()), "Partner feedback", levels);
        draft = new Objective(draft.Id, draft.PeriodId, draft.Title, draft.Description, draft.Owner, draft.Kind, draft.State, draft.Visibility, [chosen, .. draft.KeyResults], [], 0, Start, Start, null);
        var objective = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, draft)).Id);

        clock.Advance(Duration.FromDays(10));
        await okr.CheckIns.RecordAsync(tenant, chosen.Id, levels.ValueOf("partly"), Manager);
        clock.Advance(Duration.FromDays(10));
        await okr.CheckIns.RecordAsync(tenant, chosen.Id, levels.ValueOf("met"), Manager);
        await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[1].Id, 2500.25m, Manager);
        var refused = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.CheckIns.RecordAsync(tenant, chosen.Id, 4m, Manager));
        Assert.Contains(refused.Violations, v => v.Code == OkrErrorCodes.InvalidValue && v.Message.Contains("3 beyond", StringComparison.Ordinal));
        var fractional = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.CheckIns.RecordAsync(tenant, chosen.Id, 1.5m, Manager));
        Assert.Contains(fractional.Violations, v => v.Code == OkrErrorCodes.InvalidValue);

        // The level's own score under the default (linear) policy; revenue (weight 2) reached its target, and the two
        // key results without check-ins count as zero.
        var status = await okr.Progress.GetObjectiveStatusAsync(tenant, objective.Id);
        var mine = status.KeyResults.Single(k => k.Progress.KeyResult.Id == chosen.Id);
        Assert.Equal(0.8, mine.Progress.Progress!.Value, 12);
        Assert.Equal("Met", levels.LevelAt(mine.Latest!.Value).Name);
        Assert.False(mine.Forecast?.IsSufficient ?? false, "A chosen level has no trend to forecast.");
        Assert.Equal(((1 * 0.8) + (2 * 1.0)) / 5, status.Progress.Progress!.Value, 12);

        // The store keeps the measure whole, and an export says okr/2 and reads back equal.
        Assert.Equal(levels, (await okr.Objectives.GetAsync(tenant, objective.Id)).KeyResults[0].Measure);
        var exported = await okr.Transfer.ExportAsync(tenant);
        var json = OkrJson.Serialize(exported);
        Assert.Contains($"\"format\":\"{OkrDocument.OrdinalFormat}\"", json.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var other = NewTenant();
        await new OkrService(store, clock).Transfer.ImportAsync(other, OkrJson.Deserialize(Encoding.UTF8.GetBytes(json)) with { TenantId = other });
        var copy = await new OkrService(store, clock).Progress.GetObjectiveStatusAsync(other, objective.Id);
        Assert.Equal(levels, copy.Progress.Objective.KeyResults[0].Measure);
        Assert.Equal(status.Progress.Progress, copy.Progress.Progress);
    });

    /// <summary>
    /// Through the facade, on this store: carry-over copies every field, re-bases baselines on the value in force at the
    /// end of the source period, re-points links to carried parents, keeps links to an annual parent, drops the rest, and
    /// is idempotent: carrying again writes nothing and a later carry re-points to the copies already made.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Carry_over_keeps_every_field_repoints_links_and_is_idempotent() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var clock = new SteppingClock(Start);
        var okr = new OkrService(store, clock).As(Manager);
        var year = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarYear(new PeriodId(Guid.NewGuid()), 2026));
        var q1 = await okr.Periods.CreateAsync(tenant, Quarter(2026, 1));
        var q2 = await okr.Periods.CreateAsync(tenant, Quarter(2026, 2));
        foreach (var p in new[] { year, q1 })
        {
            await okr.Periods.ActivateAsync(tenant, p.Id);
        }

        var annual = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, NewObjective(year.Id, "Become the market leader"))).Id);
        var parent = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, NewObjective(q1.Id, "Win the north"))).Id);
        var child = await okr.Objectives.CreateAsync(tenant, NewObjective(q1.Id, "Open two offices", OwnerRef.Person("E7")));
        child = await okr.Objectives.AlignAsync(tenant, child.Id, new AlignmentLink(parent.Id, parent.KeyResults[0].Id, 0.5));
        child = await okr.Objectives.AlignAsync(tenant, child.Id, new AlignmentLink(annual.Id, kind: AlignmentKind.Supports));
        var later = await okr.Objectives.CreateAsync(tenant, NewObjective(q1.Id, "Hire a lead"));
        later = await okr.Objectives.AlignAsync(tenant, later.Id, new AlignmentLink(parent.Id));

        // Revenue moved from 1000.50 to 1800 by the end of Q1; a value effective after Q1 ended does not count.
        clock.Advance(Duration.FromDays(30));
        await okr.CheckIns.RecordAsync(tenant, parent.KeyResults[0].Id, 1700m, Manager);
        await okr.CheckIns.RecordAsync(tenant, parent.KeyResults[1].Id, 1m, Manager);
        clock.Advance(Duration.FromDays(70));
        await okr.CheckIns.RecordAsync(tenant, parent.KeyResults[0].Id, 1800m, Manager, effectiveAt: Instant.FromUtc(2026, 3, 31, 23, 0));
        await okr.CheckIns.RecordAsync(tenant, parent.KeyResults[0].Id, 2400m, Manager, effectiveAt: Instant.FromUtc(2026, 4, 2, 12, 0));

        var carried = await okr.Periods.CarryOverAsync(tenant, q1.Id, q2.Id, [parent.Id, child.Id], new CarryOverOptions { RebaseBaselines = true });
        Assert.Equal([parent.Id, child.Id], carried.Select(c => c.Source.Id));
        Assert.All(carried, c => Assert.False(c.AlreadyCarried));
        var (parentCopy, childCopy) = (carried[0].Copy, carried[1].Copy);
        foreach (var (source, copy) in new[] { (parent, parentCopy), (child, childCopy) })
        {
            Assert.Equal(source.Id, copy.CarriedFrom);
            Assert.Equal((q2.Id, ObjectiveState.Draft, 1L, (FinalGrade?)null, (OwnerRef?)Manager), (copy.PeriodId, copy.State, copy.Version, copy.Grade, copy.UpdatedBy));
            Assert.Equal((source.Title, source.Description, source.Owner, source.Kind, source.Visibility), (copy.Title, copy.Description, copy.Owner, copy.Kind, copy.Visibility));
            Assert.Equal(source.KeyResults.Count, copy.KeyResults.Count);
            Assert.Empty(copy.KeyResults.Select(k => k.Id).Intersect(source.KeyResults.Select(k => k.Id)));
            Assert.Equal(copy, await okr.Objectives.GetAsync(tenant, copy.Id));
        }

        // Revenue re-based on 1800, target and stretch kept; churn already at its target keeps its baseline.
        var revenue = (IncreaseMeasure)parentCopy.KeyResults[0].Measure;
        Assert.Equal((1800m, 2500.25m, (decimal?)3000m, MeasureUnit.Currency("EUR"), 2.0), (revenue.Baseline, revenue.Target, revenue.Stretch, revenue.Unit, parentCopy.KeyResults[0].Weight));
        Assert.Equal(parent.KeyResults[1].Measure, parentCopy.KeyResults[1].Measure);
        Assert.Equal([parentCopy.KeyResults[0].Id], carried[0].Rebased);
        Assert.Equal(parent.KeyResults[2].Owner, parentCopy.KeyResults[2].Owner);
        Assert.Equal(child.KeyResults.Select(k => k.Measure), childCopy.KeyResults.Select(k => k.Measure));

        // The child's link to the parent's key result follows the copies; the link to the annual objective stays.
        Assert.Equal(
            [(CarriedLinkOutcome.Repointed, new AlignmentLink(parentCopy.Id, parentCopy.KeyResults[0].Id, 0.5)), (CarriedLinkOutcome.Kept, new AlignmentLink(annual.Id, kind: AlignmentKind.Supports))],
            carried[1].Links.Select(l => (l.Outcome, l.Copy!)));
        Assert.Equal(carried[1].Links.Select(l => l.Copy), childCopy.Alignments);

        // Again, with one more: the two are reported as carried, only the new one is written, and its link finds the copy.
        var again = await okr.Periods.CarryOverAsync(tenant, q1.Id, q2.Id, [child.Id, later.Id, parent.Id]);
        Assert.Equal([true, false, true], again.Select(c => c.AlreadyCarried));
        Assert.Equal(childCopy, again[0].Copy);
        Assert.Equal(new AlignmentLink(parentCopy.Id), Assert.Single(again[1].Copy.Alignments));
        var inQ2 = await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = q2.Id }));
        Assert.Equal(3, inQ2.Count);

        // Dropping links, and starting active.
        var q3 = await okr.Periods.CreateAsync(tenant, Quarter(2026, 3));
        var dropped = await okr.Periods.CarryOverAsync(tenant, q1.Id, q3.Id, [child.Id], new CarryOverOptions { Alignments = CarriedAlignments.Drop, Activate = true });
        Assert.Empty(dropped[0].Copy.Alignments);
        Assert.Equal(ObjectiveState.Active, dropped[0].Copy.State);
        Assert.All(dropped[0].Links, l => Assert.Equal(CarriedLinkOutcome.Dropped, l.Outcome));
    });

    /// <summary>
    /// A carry-over with any bad part writes nothing: an unknown objective, one of another period, a cancelled one, a
    /// closed target, or a copy that breaks a rule.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_carry_over_with_a_bad_part_writes_nothing() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var okr = new OkrService(store, new SteppingClock(Start)).As(Manager);
        var q1 = await okr.Periods.CreateAsync(tenant, Quarter(2026, 1));
        var q2 = await okr.Periods.CreateAsync(tenant, Quarter(2026, 2));
        await okr.Periods.ActivateAsync(tenant, q1.Id);
        var good = await okr.Objectives.CreateAsync(tenant, NewObjective(q1.Id, "Good"));
        var cancelled = await okr.Objectives.CancelAsync(tenant, (await okr.Objectives.CreateAsync(tenant, NewObjective(q1.Id, "Dropped"))).Id);
        var elsewhere = await okr.Objectives.CreateAsync(tenant, NewObjective(q2.Id, "Already in Q2"));
        var thin = NewObjective(q1.Id, "Too thin");
        thin = await okr.Objectives.CreateAsync(tenant, new Objective(thin.Id, q1.Id, thin.Title, thin.Description, thin.Owner, thin.Kind, thin.State, thin.Visibility, thin.KeyResults.Take(2), [], 0, Start, Start, null));

        var bad = await Assert.ThrowsAsync<OkrValidationException>(async () =>
            await okr.Periods.CarryOverAsync(tenant, q1.Id, q2.Id, [good.Id, new ObjectiveId(Guid.NewGuid()), cancelled.Id, elsewhere.Id]));
        Assert.Equal(
            [("objectives[1]", OkrErrorCodes.UnknownReference), ("objectives[2]", OkrErrorCodes.IllegalTransition), ("objectives[3]", OkrErrorCodes.Mismatch)],
            bad.Violations.Select(v => (v.Member, v.Code)));
        var ruled = await Assert.ThrowsAsync<OkrValidationException>(async () =>
            await okr.Periods.CarryOverAsync(tenant, q1.Id, q2.Id, [good.Id, thin.Id], new CarryOverOptions { Activate = true }));
        Assert.Contains(ruled.Violations, v => v is { Code: OkrErrorCodes.KeyResultCount, Member: "objectives[1].KeyResults" });
        Assert.Equal(OkrErrorCodes.Invalid, (await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Periods.CarryOverAsync(tenant, q1.Id, q1.Id, [good.Id]))).Violations[0].Code);
        Assert.Equal([elsewhere.Id], (await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = q2.Id }))).Select(o => o.Id));

        await okr.Periods.CloseAsync(tenant, q1.Id);
        var closed = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Periods.CarryOverAsync(tenant, q2.Id, q1.Id, [elsewhere.Id]));
        Assert.Equal(OkrErrorCodes.PeriodClosed, closed.Violations[0].Code);
    });

    /// <summary>
    /// Through the facade, on this store: participation names the owners without objectives and the silent ones, and
    /// counts each owner's weekly windows with a check-in, from one read of the period.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Participation_names_owners_without_objectives_and_silent_ones() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var clock = new SteppingClock(Start);
        var okr = new OkrService(store, clock);
        var (sales, support, emea, e7) = (OwnerRef.Team("sales"), OwnerRef.Team("support"), OwnerRef.OrganizationUnit("emea"), OwnerRef.Person("E7"));
        var period = await okr.Periods.CreateAsync(tenant, Quarter());
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var theirs = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, NewObjective(period.Id, "Grow", sales))).Id);
        await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, NewObjective(period.Id, "Answer faster", support))).Id);

        // Both objectives' launch key results belong to E7 (NewObjective). Week 1 (from 1 January): sales checks in;
        // week 3: E7; week 4, still running: sales again.
        await okr.CheckIns.RecordAsync(tenant, theirs.KeyResults[0].Id, 1200m, sales);
        clock.Advance(Duration.FromDays(14));
        await okr.CheckIns.RecordAsync(tenant, theirs.KeyResults[2].Id, 1m, e7);
        clock.Advance(Duration.FromDays(7));
        await okr.CheckIns.RecordAsync(tenant, theirs.KeyResults[1].Id, 4m, sales);

        var answer = await okr.Progress.ParticipationAsync(tenant, period.Id, [sales, support, emea, e7, sales]);
        Assert.Equal([emea, e7], answer.WithoutObjectives);
        Assert.Equal([support], answer.Silent);
        Assert.Equal(
            [(sales, 1, 2, 3, 1), (support, 1, 2, 3, 0), (emea, 0, 0, 0, 0), (e7, 0, 2, 3, 1)],
            answer.Owners.Select(o => (o.Owner, o.Objectives, o.KeyResultsOwed, o.Windows, o.WindowsWithCheckIn)));
        Assert.Equal([1.0 / 3, 0.0, null, 1.0 / 3], answer.Owners.Select(o => o.CheckInRate));
        Assert.Equal([Start + Duration.FromDays(21), null, null, Start + Duration.FromDays(14)], answer.Owners.Select(o => o.LastCheckIn));
    });

    /// <summary>
    /// Through the facade, on this store: a year holds its quarters; an annual key result fed by aligned objectives takes
    /// its progress from quarterly objectives aligned to it, in the year's summary, its status and its close, equal to
    /// <see cref="OkrScoring.Evaluate"/> applied child first; closing the year grades only the year's objectives.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_year_takes_progress_from_its_quarters_children() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var clock = new SteppingClock(Start);
        var okr = new OkrService(store, clock).As(Manager);
        var year = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarYear(new PeriodId(Guid.NewGuid()), 2026));
        var q1 = await okr.Periods.CreateAsync(tenant, Quarter(2026, 1));
        var q2 = await okr.Periods.CreateAsync(tenant, Quarter(2026, 2));
        foreach (var p in new[] { year, q1, q2 })
        {
            await okr.Periods.ActivateAsync(tenant, p.Id);
        }

        Assert.Equal((PeriodKind.Year, PeriodKind.Quarter), (year.Kind, q2.Kind));
        Assert.Equal([q1.Id, q2.Id], (await okr.Periods.ListHeldAsync(tenant, year.Id)).Select(p => p.Id));
        Assert.Empty(await okr.Periods.ListHeldAsync(tenant, q1.Id));

        var draft = NewObjective(year.Id, "Lead the market");
        var fed = new KeyResult(new KeyResultId(Guid.NewGuid()), "Quarterly goals met", new IncreaseMeasure(0, 100), 1, null, ProgressSource.FromAlignedObjectives);
        var annual = await okr.Objectives.CreateAsync(tenant, new Objective(draft.Id, year.Id, draft.Title, draft.Description, draft.Owner, draft.Kind, draft.State, draft.Visibility, [fed, .. draft.KeyResults.Skip(1)], [], 0, Start, Start, null));
        annual = await okr.Objectives.ActivateAsync(tenant, annual.Id);
        var first = await okr.Objectives.CreateAsync(tenant, NewObjective(q1.Id, "First quarter push"));
        first = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.AlignAsync(tenant, first.Id, new AlignmentLink(annual.Id, fed.Id))).Id);
        var second = await okr.Objectives.CreateAsync(tenant, NewObjective(q2.Id, "Second quarter push"));
        second = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.AlignAsync(tenant, second.Id, new AlignmentLink(annual.Id, fed.Id, 3))).Id);
        clock.Advance(Duration.FromDays(20));
        await okr.CheckIns.RecordAsync(tenant, first.KeyResults[0].Id, 2500.25m, Manager);

        // The definition, child first: each quarterly objective from its key results, then the annual one from its children.
        decimal? ValueOf(KeyResultId k) => k == first.KeyResults[0].Id ? 2500.25m : null;
        var scoring = OkrScoring.Default;
        var (p1, p2) = (scoring.Evaluate(first, ValueOf), scoring.Evaluate(second, ValueOf));
        var expected = scoring.Evaluate(annual, ValueOf, [new ChildProgress(first, first.Alignments[0], p1.Progress), new ChildProgress(second, second.Alignments[0], p2.Progress)]);
        Assert.Equal(((1 * 0.5) + (3 * 0.0)) / 4, expected.KeyResults[0].Progress!.Value, 12);

        var summary = await okr.Progress.SummarizeAsync(tenant, year.Id);
        var shown = Assert.Single(summary.Objectives);
        Assert.Equal(annual.Id, shown.Progress.Objective.Id);
        Assert.Equal(expected.Progress!.Value, shown.Progress.Progress!.Value, 12);
        Assert.Equal(expected.KeyResults.Select(k => k.Progress), shown.KeyResults.Select(k => k.Progress.Progress));
        Assert.Equal(expected.Progress.Value, summary.Score!.Value, 12);
        Assert.Equal(shown.Progress.Progress, (await okr.Progress.GetObjectiveStatusAsync(tenant, annual.Id)).Progress.Progress);

        // Closing the year grades the annual objective from its children and leaves the quarters' objectives alone.
        var graded = await okr.Periods.CloseAsync(tenant, year.Id);
        Assert.Equal(annual.Id, Assert.Single(graded.Objectives).Objective.Id);
        Assert.Equal(expected.Progress.Value, (await okr.Objectives.GetAsync(tenant, annual.Id)).Grade!.Computed, 12);
        Assert.Equal(ObjectiveState.Active, (await okr.Objectives.GetAsync(tenant, second.Id)).State);
    });

    /// <summary>
    /// Through the facade, on this store: a quarter that shares days with another quarter, or a period named like another,
    /// is refused with its code and nothing is written; with <see cref="OkrRuleOptions.SingleActivePeriodPerKind"/>, a
    /// second active quarter is refused until the first closes.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Period_sanity_rules_refuse_overlaps_duplicate_names_and_by_option_a_second_active_quarter() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var strict = new OkrServiceOptions { Rules = OkrRules.CreateDefault(new OkrRuleOptions { SingleActivePeriodPerKind = true }) };
        var okr = new OkrService(store, new SteppingClock(Start), strict).As(Manager);
        var q1 = await okr.Periods.CreateAsync(tenant, Quarter(2026, 1));
        await okr.Periods.ActivateAsync(tenant, q1.Id);

        var fiscal = OkrPeriod.FiscalQuarter(new PeriodId(Guid.NewGuid()), 2026, 4, 4);
        var overlap = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Periods.CreateAsync(tenant, fiscal));
        Assert.Equal([OkrErrorCodes.PeriodOverlap], overlap.Violations.Select(v => v.Code));
        var renamed = OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), "2026-q1 ", new LocalDate(2027, 1, 5), new LocalDate(2027, 2, 5));
        Assert.Equal([OkrErrorCodes.PeriodDuplicateName], (await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Periods.CreateAsync(tenant, renamed))).Violations.Select(v => v.Code));
        await Assert.ThrowsAsync<OkrNotFoundException>(async () => await okr.Periods.GetAsync(tenant, fiscal.Id));
        Assert.Single(await ToListAsync(store.ListPeriodsAsync(tenant)));

        var q2 = await okr.Periods.CreateAsync(tenant, Quarter(2026, 2));
        var second = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Periods.ActivateAsync(tenant, q2.Id));
        Assert.Equal([OkrErrorCodes.PeriodActiveConflict], second.Violations.Select(v => v.Code));
        Assert.Equal(PeriodState.Planning, (await okr.Periods.GetAsync(tenant, q2.Id)).State);
        await okr.Periods.CloseAsync(tenant, q1.Id);
        await okr.Periods.ActivateAsync(tenant, q2.Id);
        var reopen = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Periods.ReopenAsync(tenant, q1.Id, "late figures"));
        Assert.Equal([OkrErrorCodes.PeriodActiveConflict], reopen.Violations.Select(v => v.Code));
    });
}
