using NodaTime;
using Okr.Core;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    /// <summary>A saved period reads back equal.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Period_round_trips() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = Quarter().Activate(AtStart).Close(AtStart).Reopen("Late figures, with a\nsecond line", AtStart);
        Assert.Equal(period.WithVersion(1), await store.SavePeriodAsync(tenant, period, 0));
        Assert.Equal(period.WithVersion(1), await store.GetPeriodAsync(tenant, period.Id));
    });

    /// <summary>An unknown period reads as null.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Missing_period_is_null() => WithStore(async store =>
        Assert.Null(await store.GetPeriodAsync(NewTenant(), new PeriodId(Guid.NewGuid()))));

    /// <summary>Saving a period over its stored version replaces it and bumps the version.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Saving_a_period_over_its_version_replaces_it() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = await store.SavePeriodAsync(tenant, Quarter(), 0);
        var active = await store.SavePeriodAsync(tenant, period.Activate(AtStart), period.Version);
        Assert.Equal(2, active.Version);
        Assert.Equal(active, await store.GetPeriodAsync(tenant, period.Id));
        Assert.Single(await ToListAsync(store.ListPeriodsAsync(tenant)));
    });

    /// <summary>A period save with a stale version, or a second create of one id, fails and writes nothing.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Saving_a_period_over_a_stale_version_fails() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = await store.SavePeriodAsync(tenant, Quarter(), 0);
        var active = await store.SavePeriodAsync(tenant, period.Activate(AtStart), 1);
        var stale = await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await store.SavePeriodAsync(tenant, period.Activate(AtStart), 1));
        Assert.Equal((1L, 2L), (stale.ExpectedVersion, stale.ActualVersion!.Value));
        var again = await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await store.SavePeriodAsync(tenant, period.WithVersion(0), 0));
        Assert.Equal(2L, again.ActualVersion);
        await Assert.ThrowsAsync<OkrNotFoundException>(async () => await store.SavePeriodAsync(tenant, Quarter(), 3));
        Assert.Equal(active, await store.GetPeriodAsync(tenant, period.Id));
        Assert.Equal(2, (await ToListAsync(store.ListPeriodHistoryAsync(tenant, period.Id))).Count);
    });

    /// <summary>Periods are listed by first day, then id.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Periods_are_listed_by_first_day_then_id() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var q3 = Quarter(2026, 3);
        var q1 = Quarter(2026, 1);
        var q1b = Quarter(2026, 1);
        var year = OkrPeriod.CalendarYear(new PeriodId(Guid.NewGuid()), 2025);
        foreach (var p in new[] { q3, q1, year, q1b })
        {
            await store.SavePeriodAsync(tenant, p, 0);
        }

        var expected = new[] { year }.Concat(new[] { q1, q1b }.OrderBy(p => p.Id)).Append(q3).Select(p => p.Id);
        Assert.Equal(expected, (await ToListAsync(store.ListPeriodsAsync(tenant))).Select(p => p.Id));
    });

    /// <summary>A new objective is stored at version 1 and reads back equal.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task New_objective_is_stored_at_version_one() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var objective = NewObjective(new PeriodId(Guid.NewGuid()));
        var stored = await store.SaveObjectiveAsync(tenant, objective, 0);
        Assert.Equal(1, stored.Version);
        Assert.Equal(objective.WithVersion(1), stored);
        Assert.Equal(stored, await store.GetObjectiveAsync(tenant, objective.Id));
    });

    /// <summary>An objective with alignments, a grade and every measure type reads back equal.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Objective_with_every_part_round_trips() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var baseObjective = NewObjective(new PeriodId(Guid.NewGuid()));
        var measures = new Measure[]
        {
            new StayAboveMeasure(99.5m, MeasureUnit.Percent), new StayBelowMeasure(-3m), new WithinRangeMeasure(10m, 21m, MeasureUnit.Custom("days")),
            StagedMeasure.FromStretch(0m, 40m), new IncreaseMeasure(-20m, 10m, unit: MeasureUnit.Custom("NPS")),
        };
        var krs = baseObjective.KeyResults.Concat(measures.Select((m, i) => new KeyResult(new KeyResultId(Guid.NewGuid()), $"KR {i}", m, i * 0.5, progressSource: i == 4 ? ProgressSource.FromAlignedObjectives : ProgressSource.Measured, isCancelled: i == 2)));
        var objective = new Objective(
            baseObjective.Id, baseObjective.PeriodId, "Ünïcode — \"quoted\" 🚀", baseObjective.Description, baseObjective.Owner, ObjectiveKind.Aspirational, ObjectiveState.Closed, Visibility.Private,
            krs, [new AlignmentLink(new ObjectiveId(Guid.NewGuid()), new KeyResultId(Guid.NewGuid()), 2.5, AlignmentKind.Supports), new AlignmentLink(new ObjectiveId(Guid.NewGuid()))],
            0, Start, Start + Duration.FromNanoseconds(123_456_789), FinalGrade.FromComputed(0.45).Override(0.6, OwnerRef.Person("boss"), "Market shifted"));
        var stored = await store.SaveObjectiveAsync(tenant, objective, 0);
        Assert.Equal(stored, await store.GetObjectiveAsync(tenant, objective.Id));
    });

    /// <summary>An unknown objective reads as null.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Missing_objective_is_null() => WithStore(async store =>
        Assert.Null(await store.GetObjectiveAsync(NewTenant(), new ObjectiveId(Guid.NewGuid()))));

    /// <summary>Writing with the stored version replaces the objective and moves the version on.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Update_with_the_current_version_succeeds() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var v1 = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())), 0);
        var edited = new Objective(v1.Id, v1.PeriodId, "Renamed", v1.Description, v1.Owner, v1.Kind, ObjectiveState.Active, v1.Visibility, v1.KeyResults, v1.Alignments, v1.Version, v1.CreatedAt, v1.UpdatedAt + Duration.FromHours(1), null);
        var v2 = await store.SaveObjectiveAsync(tenant, edited, v1.Version);
        Assert.Equal(2, v2.Version);
        Assert.Equal(v2, await store.GetObjectiveAsync(tenant, v1.Id));
    });

    /// <summary>A stale version fails with a concurrency error and writes nothing.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Stale_version_fails_and_writes_nothing() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var v1 = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())), 0);
        var v2 = await store.SaveObjectiveAsync(tenant, Renamed(v1, "Second"), 1);
        var ex = await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await store.SaveObjectiveAsync(tenant, Renamed(v1, "Lost update"), 1));
        Assert.Equal((1L, (long?)2), (ex.ExpectedVersion, ex.ActualVersion));
        Assert.Equal(v2, await store.GetObjectiveAsync(tenant, v1.Id));
    });

    /// <summary>Inserting an objective that already exists is a concurrency error.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Inserting_an_existing_objective_fails() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var objective = NewObjective(new PeriodId(Guid.NewGuid()));
        var v1 = await store.SaveObjectiveAsync(tenant, objective, 0);
        await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await store.SaveObjectiveAsync(tenant, Renamed(objective, "Again"), 0));
        Assert.Equal(v1, await store.GetObjectiveAsync(tenant, objective.Id));
    });

    /// <summary>Replacing an objective that does not exist is a not-found error.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Replacing_a_missing_objective_fails() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var objective = NewObjective(new PeriodId(Guid.NewGuid()));
        await Assert.ThrowsAsync<OkrNotFoundException>(async () => await store.SaveObjectiveAsync(tenant, objective, 3));
        Assert.Null(await store.GetObjectiveAsync(tenant, objective.Id));
    });

    /// <summary>A negative expected version is rejected.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Negative_expected_version_is_rejected() => WithStore(async store =>
        await Assert.ThrowsAsync<OkrValidationException>(async () => await store.SaveObjectiveAsync(NewTenant(), NewObjective(new PeriodId(Guid.NewGuid())), -1)));

    /// <summary>Of several writers of the same version, exactly one wins; the others get concurrency errors.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Of_concurrent_writers_of_one_version_exactly_one_wins() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var v1 = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())), 0);
        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.SaveObjectiveAsync(tenant, Renamed(v1, $"Writer {i}"), v1.Version);
                return i;
            }
            catch (OkrConcurrencyException)
            {
                return -1;
            }
        })).ToList();
        var results = await Task.WhenAll(writers);
        var winner = Assert.Single(results, r => r >= 0);
        var stored = await store.GetObjectiveAsync(tenant, v1.Id);
        Assert.Equal((2L, $"Writer {winner}"), (stored!.Version, stored.Title));
    });

    /// <summary>A key result id belongs to one objective of a tenant; a clash writes nothing.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_key_result_id_belongs_to_one_objective() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var first = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())), 0);
        var thief = NewObjective(first.PeriodId, "Thief");
        thief = new Objective(thief.Id, thief.PeriodId, thief.Title, "", thief.Owner, thief.Kind, thief.State, thief.Visibility, [first.KeyResults[0]], [], 0, Start, Start, null);
        var ex = await Assert.ThrowsAsync<OkrValidationException>(async () => await store.SaveObjectiveAsync(tenant, thief, 0));
        Assert.Equal(OkrErrorCodes.DuplicateId, ex.Violations[0].Code);
        Assert.Null(await store.GetObjectiveAsync(tenant, thief.Id));
        Assert.Equal(first.Id, (await store.FindObjectiveByKeyResultAsync(tenant, first.KeyResults[0].Id))!.Id);
    });

    /// <summary>The objective holding a key result is found by the key result's id, also after the objective changes.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Objective_is_found_by_its_key_result() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var v1 = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())), 0);
        Assert.Equal(v1, await store.FindObjectiveByKeyResultAsync(tenant, v1.KeyResults[2].Id));
        Assert.Null(await store.FindObjectiveByKeyResultAsync(tenant, new KeyResultId(Guid.NewGuid())));

        // A removed key result no longer leads to the objective, and its id is free again.
        var without = new Objective(v1.Id, v1.PeriodId, v1.Title, v1.Description, v1.Owner, v1.Kind, v1.State, v1.Visibility, v1.KeyResults.Take(2), [], 1, v1.CreatedAt, v1.UpdatedAt, null);
        await store.SaveObjectiveAsync(tenant, without, 1);
        Assert.Null(await store.FindObjectiveByKeyResultAsync(tenant, v1.KeyResults[2].Id));
        var other = NewObjective(v1.PeriodId, "Other");
        other = new Objective(other.Id, other.PeriodId, other.Title, "", other.Owner, other.Kind, other.State, other.Visibility, [v1.KeyResults[2]], [], 0, Start, Start, null);
        await store.SaveObjectiveAsync(tenant, other, 0);
        Assert.Equal(other.Id, (await store.FindObjectiveByKeyResultAsync(tenant, v1.KeyResults[2].Id))!.Id);
    });

    /// <summary>
    /// Many key results' objectives in one call: the same answers as one lookup each, only for what was asked,
    /// never another tenant's, unknown ids and repeats harmless, nothing for nothing.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Objectives_are_found_by_many_key_results_at_once() => WithStore(async store =>
    {
        var (tenant, other) = (NewTenant(), NewTenant());
        var a = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid()), "A"), 0);
        var b = await store.SaveObjectiveAsync(tenant, NewObjective(a.PeriodId, "B"), 0);
        var theirs = await store.SaveObjectiveAsync(other, NewObjective(a.PeriodId, "Theirs"), 0);
        var unknown = new KeyResultId(Guid.NewGuid());
        KeyResultId[] asked = [a.KeyResults[0].Id, a.KeyResults[2].Id, b.KeyResults[1].Id, b.KeyResults[1].Id, theirs.KeyResults[0].Id, unknown];

        var found = await store.FindObjectivesByKeyResultsAsync(tenant, asked);

        Assert.Equal(
            new[] { a.KeyResults[0].Id, a.KeyResults[2].Id, b.KeyResults[1].Id }.Order(),
            found.Keys.Order());
        foreach (var (keyResult, objective) in found)
        {
            Assert.Equal(await store.FindObjectiveByKeyResultAsync(tenant, keyResult), objective);
        }

        Assert.Equal(a, found[a.KeyResults[0].Id]);
        Assert.Equal(b, found[b.KeyResults[1].Id]);
        Assert.Equal(theirs, (await store.FindObjectivesByKeyResultsAsync(other, asked))[theirs.KeyResults[0].Id]);
        Assert.Empty(await store.FindObjectivesByKeyResultsAsync(tenant, []));
        Assert.Empty(await store.FindObjectivesByKeyResultsAsync(NewTenant(), asked));
    });

    /// <summary>Returns a copy of an objective with another title and nothing else changed.</summary>
    /// <param name="o">The objective.</param>
    /// <param name="title">The title.</param>
    /// <returns>The copy.</returns>
    private static Objective Renamed(Objective o, string title)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new(o.Id, o.PeriodId, title, o.Description, o.Owner, o.Kind, o.State, o.Visibility, o.KeyResults, o.Alignments, o.Version, o.CreatedAt, o.UpdatedAt, o.Grade);
    }

    /// <summary>Several objectives in one call: each stored one once, by id; absent ids and other tenants' objectives left out.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Objectives_are_read_many_at_once() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = Quarter();
        var objectives = Enumerable.Range(0, 5).Select(i => NewObjective(period.Id, $"Objective {i}")).ToList();
        await store.ImportAsync(tenant, new Okr.Core.Serialization.OkrDocument(tenant, [period], objectives, []));
        var other = NewTenant();
        await store.ImportAsync(other, new Okr.Core.Serialization.OkrDocument(other, [period], [objectives[0]], []));
        var asked = new[] { objectives[3].Id, objectives[1].Id, new ObjectiveId(Guid.NewGuid()), objectives[3].Id };
        var found = await store.GetObjectivesAsync(tenant, asked);
        Assert.Equal(new[] { objectives[1], objectives[3] }.OrderBy(o => o.Id), found);
        Assert.Empty(await store.GetObjectivesAsync(tenant, []));
        Assert.Equal([objectives[0]], await store.GetObjectivesAsync(other, [objectives[0].Id, objectives[1].Id]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetObjectivesAsync(default, [objectives[0].Id]));
    });
}
