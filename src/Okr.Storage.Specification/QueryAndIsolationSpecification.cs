using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    private static async Task<(TenantId Tenant, List<Objective> All, PeriodId Q1, PeriodId Q2)> SeedAsync(IOkrStore store)
    {
        var tenant = NewTenant();
        var (q1, q2) = (new PeriodId(Guid.NewGuid()), new PeriodId(Guid.NewGuid()));
        var all = new List<Objective>();
        for (var i = 0; i < 12; i++)
        {
            var o = NewObjective(i % 3 == 0 ? q2 : q1, $"Objective {i}", i % 2 == 0 ? OwnerRef.Team("alpha") : OwnerRef.Person("bob"));
            all.Add(await store.SaveObjectiveAsync(tenant, o, 0));
        }

        // Two of them move on to Active.
        for (var i = 0; i < 2; i++)
        {
            var a = all[i];
            all[i] = await store.SaveObjectiveAsync(tenant, new Objective(a.Id, a.PeriodId, a.Title, a.Description, a.Owner, a.Kind, ObjectiveState.Active, a.Visibility, a.KeyResults, a.Alignments, a.Version, a.CreatedAt, a.UpdatedAt, null), a.Version);
        }

        return (tenant, all, q1, q2);
    }

    /// <summary>Listing with no filter gives every objective of the tenant, ordered by id.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Objectives_are_listed_in_id_order() => WithStore(async store =>
    {
        var (tenant, all, _, _) = await SeedAsync(store);
        Assert.Equal(all.OrderBy(o => o.Id), await ToListAsync(store.ListObjectivesAsync(tenant, ObjectiveQuery.All)));
    });

    /// <summary>Filters by period, owner and state, alone and together.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Objectives_are_filtered_by_period_owner_and_state() => WithStore(async store =>
    {
        var (tenant, all, q1, q2) = await SeedAsync(store);
        async Task Check(ObjectiveQuery query) =>
            Assert.Equal(all.Where(query.Matches).OrderBy(o => o.Id).Select(o => o.Id), (await ToListAsync(store.ListObjectivesAsync(tenant, query))).Select(o => o.Id));

        await Check(new ObjectiveQuery { Period = q1 });
        await Check(new ObjectiveQuery { Period = q2 });
        await Check(new ObjectiveQuery { Owner = OwnerRef.Team("alpha") });
        await Check(new ObjectiveQuery { Owner = OwnerRef.Person("alpha") });
        await Check(new ObjectiveQuery { State = ObjectiveState.Active });
        await Check(new ObjectiveQuery { Period = q1, Owner = OwnerRef.Person("bob"), State = ObjectiveState.Draft });
        Assert.Empty(await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = new PeriodId(Guid.NewGuid()) })));
    });

    /// <summary>Keyset paging visits every objective exactly once, in id order.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Paging_visits_every_objective_once_in_order() => WithStore(async store =>
    {
        var (tenant, all, _, _) = await SeedAsync(store);
        var seen = new List<ObjectiveId>();
        ObjectiveId? after = null;
        while (true)
        {
            var page = await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { After = after, Limit = 5 }));
            Assert.True(page.Count <= 5);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(o => o.Id));
            after = page[^1].Id;
        }

        Assert.Equal(all.Select(o => o.Id).Order(), seen);
    });

    /// <summary>A limit below one is rejected.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_limit_below_one_is_rejected() => WithStore(async store =>
        await Assert.ThrowsAsync<OkrValidationException>(async () => await ToListAsync(store.ListObjectivesAsync(NewTenant(), new ObjectiveQuery { Limit = 0 }))));

    /// <summary>One tenant never sees another's periods, objectives or check-ins, by any call.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Tenants_never_see_each_others_data() => WithStore(async store =>
    {
        var (mine, theirs) = (NewTenant(), NewTenant());
        var period = Quarter();
        await store.SavePeriodAsync(mine, period, 0);
        var objective = await store.SaveObjectiveAsync(mine, NewObjective(period.Id), 0);
        var checkIn = NewCheckIn(objective.KeyResults[0].Id, 1500);
        await store.AppendCheckInAsync(mine, checkIn);

        Assert.Null(await store.GetPeriodAsync(theirs, period.Id));
        Assert.Empty(await ToListAsync(store.ListPeriodsAsync(theirs)));
        Assert.Null(await store.GetObjectiveAsync(theirs, objective.Id));
        Assert.Null(await store.FindObjectiveByKeyResultAsync(theirs, objective.KeyResults[0].Id));
        Assert.Empty(await ToListAsync(store.ListObjectivesAsync(theirs, ObjectiveQuery.All)));
        Assert.Null(await store.GetCheckInAsync(theirs, checkIn.Id));
        Assert.Empty(await ToListAsync(store.GetHistoryAsync(theirs, checkIn.KeyResultId)));
        Assert.Empty(await store.GetValuesAsOfAsync(theirs, [checkIn.KeyResultId], Start));
        var export = await store.ExportAsync(theirs);
        Assert.Empty(export.Periods);
        Assert.Empty(export.Objectives);
        Assert.Empty(export.CheckIns);
    });

    /// <summary>The same ids in two tenants are two independent items.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task The_same_ids_in_two_tenants_are_independent() => WithStore(async store =>
    {
        var (a, b) = (NewTenant(), NewTenant());
        var objective = NewObjective(new PeriodId(Guid.NewGuid()));
        var inA = await store.SaveObjectiveAsync(a, objective, 0);
        var inB = await store.SaveObjectiveAsync(b, Renamed(objective, "Tenant B's"), 0);
        await store.SaveObjectiveAsync(b, Renamed(inB, "Tenant B's, edited"), 1);
        Assert.Equal(inA, await store.GetObjectiveAsync(a, objective.Id));
        Assert.Equal("Tenant B's, edited", (await store.GetObjectiveAsync(b, objective.Id))!.Title);

        var checkIn = NewCheckIn(objective.KeyResults[0].Id, 10);
        Assert.True(await store.AppendCheckInAsync(a, checkIn));
        Assert.True(await store.AppendCheckInAsync(b, checkIn));
        Assert.Single(await ToListAsync(store.GetHistoryAsync(a, checkIn.KeyResultId)));
    });

    /// <summary>A stale write in one tenant does not depend on another tenant's versions.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Versions_are_per_tenant() => WithStore(async store =>
    {
        var (a, b) = (NewTenant(), NewTenant());
        var objective = NewObjective(new PeriodId(Guid.NewGuid()));
        await store.SaveObjectiveAsync(a, objective, 0);
        await store.SaveObjectiveAsync(a, objective, 1);
        await Assert.ThrowsAsync<OkrNotFoundException>(async () => await store.SaveObjectiveAsync(b, objective, 2));
        Assert.Equal(1, (await store.SaveObjectiveAsync(b, objective, 0)).Version);
    });

    /// <summary><c>default(TenantId)</c> is never a tenant: every store entry point refuses it, naming the argument, and writes nothing.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task The_default_tenant_is_refused_by_every_entry_point() => WithStore(async store =>
    {
        var none = default(TenantId);
        var period = Quarter();
        var objective = NewObjective(period.Id);
        var kr = objective.KeyResults[0].Id;
        var calls = new Func<Task>[]
        {
            async () => await store.CommitAsync(none, new OkrChangeSet().Save(period, 0)),
            async () => await store.SavePeriodAsync(none, period, 0),
            async () => await store.SaveObjectiveAsync(none, objective, 0),
            async () => await store.AppendCheckInsAsync(none, [NewCheckIn(kr, 1)]),
            async () => await store.GetPeriodContentAsync(none, period.Id),
            async () => await store.GetPeriodAsync(none, period.Id),
            async () => await ToListAsync(store.ListPeriodsAsync(none)),
            async () => await store.GetObjectiveAsync(none, objective.Id),
            async () => await ToListAsync(store.ListPeriodHistoryAsync(none, period.Id)),
            async () => await ToListAsync(store.ListObjectiveHistoryAsync(none, objective.Id)),
            async () => await store.FindObjectiveByKeyResultAsync(none, kr),
            async () => await store.FindObjectivesByKeyResultsAsync(none, [kr]),
            async () => await store.FindObjectivesByKeyResultsAsync(none, []),
            async () => await ToListAsync(store.ListObjectivesAsync(none, ObjectiveQuery.All)),
            async () => await store.GetCheckInAsync(none, new CheckInId(Guid.NewGuid())),
            async () => await ToListAsync(store.GetHistoryAsync(none, kr)),
            async () => await store.GetValuesAsOfAsync(none, [kr], Start),
            async () => await store.GetValuesAsOfAsync(none, [], Start),
            async () => await store.ImportAsync(none, new OkrDocument(none, [period], [objective], [])),
            async () => await store.ExportAsync(none),
        };
        foreach (var call in calls)
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(call);
            Assert.Equal("tenant", ex.ParamName);
        }
    });
}
