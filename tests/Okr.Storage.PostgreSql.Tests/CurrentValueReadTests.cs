using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// The two statements of <see cref="PostgreSqlOkrStore.GetCurrentValuesAsync"/>: a list of up to
/// <see cref="PostgreSqlOkrStore.KeyedCurrentValuesLimit"/> key results probes the index per key, a longer one scans;
/// both answer the same.
/// </summary>
public class CurrentValueReadTests
{
    [PostgresFact]
    public async Task A_short_and_a_long_list_of_key_results_read_the_same_values()
    {
        Assert.Equal(8192, PostgreSqlOkrStore.KeyedCurrentValuesLimit);   // the limit docs/dashboards.md states
        var store = TestDatabase.Store;
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 10, 9, 0));
        var okr = new OkrService(store, clock);
        var tenant = new TenantId(Guid.CreateVersion7());
        var period = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), period.Id, "Grow", OwnerRef.Team("t"), clock, keyResults:
        [
            new KeyResult(KeyResultId.New(clock), "One", new IncreaseMeasure(0m, 100m)),
            new KeyResult(KeyResultId.New(clock), "Two", new IncreaseMeasure(0m, 100m)),
            new KeyResult(KeyResultId.New(clock), "Three", new IncreaseMeasure(0m, 100m)),
        ]));
        await okr.Objectives.ActivateAsync(tenant, objective.Id);
        var krs = objective.KeyResults.Select(k => k.Id).ToList();
        await okr.CheckIns.RecordAsync(tenant, krs[0], 10m, OwnerRef.Person("a"));
        clock.AdvanceHours(1);
        await okr.CheckIns.RecordAsync(tenant, krs[0], 20m, OwnerRef.Person("a"));
        await okr.CheckIns.RecordAsync(tenant, krs[1], 5m, OwnerRef.Person("b"));

        // The short list (and a repeated key) against the same keys among more than the limit of unknown ones.
        var now = clock.GetCurrentInstant();
        var shortList = await store.GetCurrentValuesAsync(tenant, [.. krs, krs[0]], now);
        var unknown = Enumerable.Range(0, PostgreSqlOkrStore.KeyedCurrentValuesLimit).Select(_ => new KeyResultId(Guid.NewGuid()));
        var longList = await store.GetCurrentValuesAsync(tenant, [.. unknown, .. krs], now);

        Assert.Equal(new[] { (krs[0], 20m), (krs[1], 5m) }.OrderBy(x => x.Item1), shortList.OrderBy(x => x.Key).Select(x => (x.Key, x.Value.InForce!.Value)));
        Assert.Equal(
            shortList.OrderBy(x => x.Key).Select(x => (x.Key, x.Value.InForce!.Id, x.Value.LastRecordedAt)),
            longList.OrderBy(x => x.Key).Select(x => (x.Key, x.Value.InForce!.Id, x.Value.LastRecordedAt)));
    }
}
