using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    /// <summary>
    /// Random operations spread over three tenants, checked against a model of each tenant: no tenant
    /// ever reads, changes or counts another's data. Seeded, so a failure reproduces.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Random_operations_across_tenants_never_cross_tenants() => WithStore(async store =>
    {
        var random = new Random(20261125);
        var tenants = Enumerable.Range(0, 3).Select(_ => NewTenant()).ToArray();
        var objectives = tenants.ToDictionary(t => t, _ => new Dictionary<ObjectiveId, Objective>());
        var checkIns = tenants.ToDictionary(t => t, _ => new Dictionary<CheckInId, CheckIn>());
        var shared = NewObjective(new PeriodId(Guid.NewGuid()), "Same ids in every tenant");
        for (var step = 0; step < 150; step++)
        {
            var tenant = tenants[random.Next(tenants.Length)];
            switch (random.Next(5))
            {
                case 0:
                {
                    var o = await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid()), $"Step {step}"), 0);
                    objectives[tenant][o.Id] = o;
                    break;
                }

                case 1 when objectives[tenant].Count > 0:
                {
                    var o = objectives[tenant].Values.ElementAt(random.Next(objectives[tenant].Count));
                    var edited = await store.SaveObjectiveAsync(tenant, Renamed(o, $"Edited at {step}"), o.Version);
                    objectives[tenant][o.Id] = edited;
                    break;
                }

                case 2 when objectives[tenant].Count > 0:
                {
                    var o = objectives[tenant].Values.ElementAt(random.Next(objectives[tenant].Count));
                    var batch = Enumerable.Range(0, random.Next(1, 40)).Select(i => NewCheckIn(o.KeyResults[i % 3].Id, random.Next(0, 500), effectiveDay: random.Next(0, 60))).ToList();
                    await store.AppendCheckInsAsync(tenant, batch);
                    foreach (var c in batch)
                    {
                        checkIns[tenant][c.Id] = c;
                    }

                    break;
                }

                case 3:
                {
                    // The same objective id in whichever tenant: each tenant's copy is its own.
                    var mine = objectives[tenant].GetValueOrDefault(shared.Id);
                    var stored = await store.SaveObjectiveAsync(tenant, Renamed(mine ?? shared, $"Shared at {step}"), mine?.Version ?? 0);
                    objectives[tenant][shared.Id] = stored;
                    break;
                }

                default:
                {
                    var document = new OkrDocument(tenant, [], [NewObjective(new PeriodId(Guid.NewGuid()), $"Imported at {step}")], []);
                    await store.ImportAsync(tenant, document);
                    objectives[tenant][document.Objectives[0].Id] = document.Objectives[0];
                    break;
                }
            }
        }

        foreach (var tenant in tenants)
        {
            var export = await store.ExportAsync(tenant);
            Assert.Equal(objectives[tenant].Values.OrderBy(o => o.Id), export.Objectives.OrderBy(o => o.Id));
            Assert.Equal(checkIns[tenant].Values.OrderBy(c => c.Id), export.CheckIns);
            Assert.Equal(objectives[tenant].Count, (await ToListAsync(store.ListObjectivesAsync(tenant, ObjectiveQuery.All))).Count);
            foreach (var other in tenants.Where(t => t != tenant))
            {
                foreach (var id in objectives[other].Keys.Where(id => !objectives[tenant].ContainsKey(id)))
                {
                    Assert.Null(await store.GetObjectiveAsync(tenant, id));
                }

                foreach (var id in checkIns[other].Keys.Take(20))
                {
                    Assert.Null(await store.GetCheckInAsync(tenant, id));
                }
            }
        }
    });

    /// <summary>
    /// Sixteen concurrent tasks mix reads, check-ins (each batch sent twice, as a retrying client would)
    /// and edits on one tenant, bounded by operation count: no check-in is lost or duplicated, the only
    /// error is the documented concurrency one, and the values in force equal a recompute from the history.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_mixed_concurrent_workload_loses_nothing() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var objectives = new List<Objective>();
        for (var i = 0; i < 4; i++)
        {
            objectives.Add(await store.SaveObjectiveAsync(tenant, NewObjective(new PeriodId(Guid.NewGuid()), $"Objective {i}"), 0));
        }

        var krs = objectives.SelectMany(o => o.KeyResults).Select(k => k.Id).ToList();
        var appended = new System.Collections.Concurrent.ConcurrentBag<CheckIn>();
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var conflicts = 0;
        var tasks = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var op = 0; op < 15; op++)
            {
                try
                {
                    switch (random.Next(3))
                    {
                        case 0:
                            await store.GetValuesAsOfAsync(tenant, krs, Start + Duration.FromDays(30));
                            await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Limit = 2 }));
                            break;
                        case 1:
                        {
                            var batch = Enumerable.Range(0, random.Next(1, 50)).Select(_ => NewCheckIn(krs[random.Next(krs.Count)], random.Next(0, 300), effectiveDay: random.Next(0, 30), recordedDay: 31 + random.Next(0, 5))).ToList();
                            await store.AppendCheckInsAsync(tenant, batch);
                            await store.AppendCheckInsAsync(tenant, batch);
                            foreach (var c in batch)
                            {
                                appended.Add(c);
                            }

                            break;
                        }

                        default:
                        {
                            var id = objectives[random.Next(objectives.Count)].Id;
                            var current = await store.GetObjectiveAsync(tenant, id);
                            await store.SaveObjectiveAsync(tenant, Renamed(current!, $"Worker {worker} op {op}"), current!.Version);
                            break;
                        }
                    }
                }
                catch (OkrConcurrencyException)
                {
                    Interlocked.Increment(ref conflicts);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    unexpected.Add(ex);
                }
            }
        })).ToList();
        await Task.WhenAll(tasks);

        Assert.Empty(unexpected);
        var history = new List<CheckIn>();
        foreach (var kr in krs)
        {
            history.AddRange(await ToListAsync(store.GetHistoryAsync(tenant, kr)));
        }

        Assert.Equal(appended.Select(c => c.Id).Order(), history.Select(c => c.Id).Order());
        var at = Start + Duration.FromDays(30);
        var values = await store.GetValuesAsOfAsync(tenant, krs, at);
        foreach (var kr in krs)
        {
            Assert.Equal(CheckInHistory.AsOf(history.Where(c => c.KeyResultId == kr), at), values.GetValueOrDefault(kr));
        }

        foreach (var o in objectives)
        {
            Assert.True((await store.GetObjectiveAsync(tenant, o.Id))!.Version >= 1);
        }
    });
}
