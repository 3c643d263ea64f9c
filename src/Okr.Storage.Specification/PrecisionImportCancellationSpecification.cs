using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    /// <summary>Instants keep every nanosecond, in check-ins and objectives.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Instants_keep_nanosecond_precision() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var instants = new[]
        {
            Start.PlusNanoseconds(1), Start.PlusNanoseconds(999_999_999), Instant.FromUtc(1970, 1, 1, 0, 0).PlusNanoseconds(-1),
            OkrStoreFormat.MinInstant, OkrStoreFormat.MaxInstant,
        };
        foreach (var at in instants)
        {
            var checkIn = new CheckIn(new CheckInId(Guid.NewGuid()), Kr, 1, Author, at, at);
            await store.AppendCheckInAsync(tenant, checkIn);
            Assert.Equal(checkIn, await store.GetCheckInAsync(tenant, checkIn.Id));
        }

        var objective = NewObjective(new PeriodId(Guid.NewGuid()));
        objective = new Objective(objective.Id, objective.PeriodId, objective.Title, "", objective.Owner, objective.Kind, objective.State, objective.Visibility, objective.KeyResults, [], 0, Start.PlusNanoseconds(7), Start.PlusNanoseconds(123_456_789), null);
        Assert.Equal(await store.SaveObjectiveAsync(tenant, objective, 0), await store.GetObjectiveAsync(tenant, objective.Id));
    });

    /// <summary>Instants outside the store's range are rejected with a clear error, not truncated.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Instants_outside_the_range_are_rejected() => WithStore(async store =>
    {
        // Outside the range a check-in cannot even be built (a typed error at construction); at its edges every store keeps it.
        var tenant = NewTenant();
        var tooEarly = OkrStoreFormat.MinInstant - Duration.FromNanoseconds(1);
        var tooLate = OkrStoreFormat.MaxInstant + Duration.FromNanoseconds(1);
        Assert.Throws<OkrValidationException>(() => new CheckIn(new CheckInId(Guid.NewGuid()), Kr, 1, Author, tooEarly, Start));
        Assert.Throws<OkrValidationException>(() => new CheckIn(new CheckInId(Guid.NewGuid()), Kr, 1, Author, Start, tooLate));
        foreach (var edge in new[] { OkrStoreFormat.MinInstant, OkrStoreFormat.MaxInstant })
        {
            var checkIn = new CheckIn(new CheckInId(Guid.NewGuid()), Kr, 1, Author, edge, edge);
            await store.AppendCheckInAsync(tenant, checkIn);
            Assert.Equal(checkIn, await store.GetCheckInAsync(tenant, checkIn.Id));
        }
    });

    /// <summary>Decimal values keep their exact value and scale, at the limits too.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Decimals_are_exact() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var values = new[] { 0m, 0.0m, 1.50m, -20m, 0.0000000001m, 123456789.123456789m, Measure.MaxMagnitude, -Measure.MaxMagnitude, 999999999999999999.9999999999m / 10m };
        foreach (var value in values)
        {
            var checkIn = NewCheckIn(Kr, value);
            await store.AppendCheckInAsync(tenant, checkIn);
            var back = (await store.GetCheckInAsync(tenant, checkIn.Id))!.Value;
            Assert.Equal(value, back);
            Assert.Equal(value.Scale, back.Scale);
        }
    });

    /// <summary>Text with line breaks, quotes and characters outside the basic plane survives.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Text_survives_unchanged() => WithStore(async store =>
    {
        var tenant = NewTenant();
        const string note = "Line one\nLine two\t'single' \"double\" ; DROP TABLE check_ins; -- 日本 🚀";
        var checkIn = new CheckIn(new CheckInId(Guid.NewGuid()), Kr, 1, OwnerRef.Person("o'brien; --"), Start, Start, note: note);
        await store.AppendCheckInAsync(tenant, checkIn);
        Assert.Equal(note, (await store.GetCheckInAsync(tenant, checkIn.Id))!.Note);
        var period = OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), "Q'1 \"x\"", new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 1));
        await store.SavePeriodAsync(tenant, period, 0);
        Assert.Equal(period.WithVersion(1), await store.GetPeriodAsync(tenant, period.Id));
    });

    private static OkrDocument Document(TenantId tenant, int objectives)
    {
        var periods = new[] { Quarter(2026, 1).Activate(AtStart), Quarter(2026, 2) };
        var list = Enumerable.Range(0, objectives).Select(i => NewObjective(periods[i % 2].Id, $"Imported {i}").WithVersion(i % 4)).ToList();
        var checkIns = list.SelectMany(o => o.KeyResults.Take(2)).SelectMany(k => new[] { NewCheckIn(k.Id, 1, 1), NewCheckIn(k.Id, 2.5m, 2) }).ToList();
        return new OkrDocument(tenant, periods, list, checkIns);
    }

    /// <summary>An imported document exports back equal.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Import_then_export_gives_the_document_back() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var document = Document(tenant, 30);
        await store.ImportAsync(tenant, document);
        var export = await store.ExportAsync(tenant);
        Assert.Equal(tenant, export.TenantId);
        Assert.Equal(document.Periods.OrderBy(p => p.Dates.Start).ThenBy(p => p.Id), export.Periods);
        Assert.Equal(document.Objectives.OrderBy(o => o.Id), export.Objectives.OrderBy(o => o.Id));
        Assert.Equal(document.CheckIns.OrderBy(c => c.Id), export.CheckIns);
    });

    /// <summary>Exporting one period gives its objectives and their check-ins only.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Export_of_one_period() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var document = Document(tenant, 10);
        await store.ImportAsync(tenant, document);
        var period = document.Periods[1];
        var export = await store.ExportAsync(tenant, period.Id);
        Assert.Equal([period], export.Periods);
        Assert.Equal(document.Objectives.Where(o => o.PeriodId == period.Id).OrderBy(o => o.Id), export.Objectives.OrderBy(o => o.Id));
        var krs = export.Objectives.SelectMany(o => o.KeyResults).Select(k => k.Id).ToHashSet();
        Assert.Equal(document.CheckIns.Where(c => krs.Contains(c.KeyResultId)).OrderBy(c => c.Id), export.CheckIns);
    });

    /// <summary>A document of another tenant is refused.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Import_into_another_tenant_is_refused() => WithStore(async store =>
    {
        var tenant = NewTenant();
        await Assert.ThrowsAsync<OkrValidationException>(async () => await store.ImportAsync(tenant, Document(NewTenant(), 2)));
        Assert.Empty((await store.ExportAsync(tenant)).Objectives);
    });

    /// <summary>One bad item anywhere in an import rolls back everything, periods included.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task One_bad_item_rolls_back_the_whole_import() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var existing = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())), 0);
        var document = Document(tenant, 20);

        // The last objective reuses a key result id that an existing objective holds.
        var last = document.Objectives[^1];
        var bad = new Objective(last.Id, last.PeriodId, last.Title, "", last.Owner, last.Kind, last.State, last.Visibility, [existing.KeyResults[0]], [], 0, Start, Start, null);
        var broken = document with { Objectives = [.. document.Objectives.Take(19), bad] };
        await Assert.ThrowsAsync<OkrValidationException>(async () => await store.ImportAsync(tenant, broken));

        var after = await store.ExportAsync(tenant);
        Assert.Empty(after.Periods);
        Assert.Equal([existing], after.Objectives);
        Assert.Empty(after.CheckIns);
    });

    /// <summary>A check-in that clashes with a stored one rolls back the whole import.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_clashing_check_in_rolls_back_the_whole_import() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var stored = NewCheckIn(Kr, 1);
        await store.AppendCheckInAsync(tenant, stored);
        var document = Document(tenant, 5);
        var clash = new CheckIn(stored.Id, Kr, 99, Author, Start, Start);
        await Assert.ThrowsAsync<OkrValidationException>(async () => await store.ImportAsync(tenant, document with { CheckIns = [.. document.CheckIns, clash] }));
        var after = await store.ExportAsync(tenant);
        Assert.Empty(after.Objectives);
        Assert.Equal([stored], after.CheckIns);
    });

    /// <summary>An import reports its progress and ends with "committed".</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Import_reports_progress() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var reports = new List<ImportProgress>();
        await store.ImportAsync(tenant, Document(tenant, 1200), new SynchronousProgress(reports));
        Assert.Contains(reports, r => r.Stage == ImportStage.Objectives && r.Done == 1200 && r.Total == 1200);
        Assert.Contains(reports, r => r.Stage == ImportStage.Objectives && r.Done < 1200);
        Assert.Equal(ImportStage.Committed, reports[^1].Stage);
    });

    /// <summary>Importing the same document twice leaves one copy of everything.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Import_replaces_items_with_the_same_ids() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var document = Document(tenant, 6);
        await store.ImportAsync(tenant, document);
        await store.ImportAsync(tenant, document);
        var export = await store.ExportAsync(tenant);
        Assert.Equal(6, export.Objectives.Count);
        Assert.Equal(document.CheckIns.Count, export.CheckIns.Count);
    });

    /// <summary>A cancelled token stops writes before anything is written, and reads.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_cancelled_token_writes_nothing() => WithStore(async store =>
    {
        var tenant = NewTenant();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var objective = NewObjective(new PeriodId(Guid.NewGuid()));
        var checkIn = NewCheckIn(Kr, 1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SaveObjectiveAsync(tenant, objective, 0, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.AppendCheckInAsync(tenant, checkIn, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.AppendCheckInsAsync(tenant, [checkIn], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ImportAsync(tenant, Document(tenant, 3), null, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SavePeriodAsync(tenant, Quarter(), 0, cancelled.Token));
        Assert.Null(await store.GetObjectiveAsync(tenant, objective.Id));
        Assert.Null(await store.GetCheckInAsync(tenant, checkIn.Id));
        Assert.Empty((await store.ExportAsync(tenant)).Objectives);
    });

    /// <summary>A cancelled token stops reads and enumerations.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_cancelled_token_stops_reads() => WithStore(async store =>
    {
        var tenant = NewTenant();
        await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())), 0);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ToListAsync(store.ListObjectivesAsync(tenant, ObjectiveQuery.All, cancelled.Token)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetValuesAsOfAsync(tenant, [Kr], Start, null, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ExportAsync(tenant, null, cancelled.Token));
    });

    /// <summary>Cancelling a long import part-way writes nothing.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Cancelling_an_import_part_way_writes_nothing() => WithStore(async store =>
    {
        var tenant = NewTenant();
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress([], r =>
        {
            if (r.Stage == ImportStage.Objectives && r.Done >= 500)
            {
                cts.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ImportAsync(tenant, Document(tenant, 1500), progress, cts.Token));
        var after = await store.ExportAsync(tenant);
        Assert.Empty(after.Periods);
        Assert.Empty(after.Objectives);
    });

    /// <summary>Reports progress on the calling thread, in order (unlike <see cref="Progress{T}"/>).</summary>
    private sealed class SynchronousProgress(List<ImportProgress> reports, Action<ImportProgress>? then = null) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            reports.Add(value);
            then?.Invoke(value);
        }
    }
}
