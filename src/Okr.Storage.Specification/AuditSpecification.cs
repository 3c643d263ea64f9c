using Okr.Core;
using Okr.Core.Storage;
using Okr.Core.Serialization;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    /// <summary>Every stored version of an objective is kept, oldest first, with who made it and when.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task History_lists_every_version_oldest_first() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var v1 = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())).WithUpdatedBy(OwnerRef.Person("ann")), 0);
        var v2 = await store.SaveObjectiveAsync(tenant, Renamed(v1, "Second").WithUpdatedBy(OwnerRef.Person("bob")), 1);
        var v3 = await store.SaveObjectiveAsync(tenant, Renamed(v2, "Third").WithUpdatedBy(null), 2);

        var history = await ToListAsync(store.ListObjectiveHistoryAsync(tenant, v1.Id));

        Assert.Equal([v1, v2, v3], history);
        Assert.Equal([OwnerRef.Person("ann"), OwnerRef.Person("bob"), null], history.Select(o => o.UpdatedBy));
    });

    /// <summary>A write that fails keeps no version in the history.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_failed_write_adds_no_history() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var v1 = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())), 0);
        var v2 = await store.SaveObjectiveAsync(tenant, Renamed(v1, "Second"), 1);
        await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await store.SaveObjectiveAsync(tenant, Renamed(v1, "Lost"), 1));

        Assert.Equal([v1, v2], await ToListAsync(store.ListObjectiveHistoryAsync(tenant, v1.Id)));
    });

    /// <summary>An import that replaces an objective keeps the replaced version.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task An_import_that_replaces_an_objective_keeps_the_old_version() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = Quarter();
        var v1 = await store.SaveObjectiveAsync(tenant, NewObjective(period.Id), 0);
        var imported = Renamed(v1, "Imported").WithVersion(7);
        await store.ImportAsync(tenant, new OkrDocument(tenant, [period], [imported], []));

        Assert.Equal([v1, imported], await ToListAsync(store.ListObjectiveHistoryAsync(tenant, v1.Id)));
    });

    /// <summary>History is tenant-scoped: another tenant, or an unknown id, sees nothing.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task History_is_tenant_scoped() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var v1 = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid())), 0);
        await store.SaveObjectiveAsync(tenant, Renamed(v1, "Second"), 1);

        Assert.Empty(await ToListAsync(store.ListObjectiveHistoryAsync(NewTenant(), v1.Id)));
        Assert.Empty(await ToListAsync(store.ListObjectiveHistoryAsync(tenant, new ObjectiveId(Guid.NewGuid()))));
    });

    /// <summary>Every saved version of a period is kept, oldest first, with who changed it and when; tenant-scoped.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Period_history_lists_every_version_with_who_and_when() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var planned = Quarter().WithChange(OwnerRef.Person("admin"), Start);
        var active = planned.Activate(AtStart).WithChange(OwnerRef.Person("admin"), Start + NodaTime.Duration.FromDays(1));
        var closed = active.Close(AtStart).WithChange(null, Start + NodaTime.Duration.FromDays(90));
        var stored = new List<OkrPeriod>();
        foreach (var version in new[] { planned, active, closed })
        {
            stored.Add(await store.SavePeriodAsync(tenant, version, stored.Count));
        }

        Assert.Equal([planned.WithVersion(1), active.WithVersion(2), closed.WithVersion(3)], stored);
        Assert.Equal(stored, await ToListAsync(store.ListPeriodHistoryAsync(tenant, planned.Id)));
        Assert.Equal(stored[^1], await store.GetPeriodAsync(tenant, planned.Id));
        Assert.Empty(await ToListAsync(store.ListPeriodHistoryAsync(NewTenant(), planned.Id)));
        Assert.Empty(await ToListAsync(store.ListPeriodHistoryAsync(tenant, new PeriodId(Guid.NewGuid()))));
    });
}
