using NodaTime;
using Okr.Core;
using Okr.Core.Scoring;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    /// <summary>
    /// A store that reports its health (<see cref="IOkrStoreHealth"/>, as every store of this library does) reports a
    /// working store as healthy, before and after a write, with a description; one that does not implement it is not held to this.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_working_store_reports_itself_healthy() => WithStore(async store =>
    {
        if (store is not IOkrStoreHealth health)
        {
            return;
        }

        var before = await health.CheckHealthAsync();
        await store.SaveObjectiveAsync(NewTenant(), NewObjective(new PeriodId(Guid.NewGuid()), "Health"), 0);
        var after = await health.CheckHealthAsync();
        Assert.True(before.IsHealthy, before.Description);
        Assert.True(after.IsHealthy, after.Description);
        Assert.False(string.IsNullOrWhiteSpace(after.Description));
        Assert.Null(after.Exception);
        Assert.Equal(after.ExpectedSchemaVersion, after.SchemaVersion);
    });

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
    /// error is the documented concurrency one, the values in force equal a recompute from the history, and
    /// so does the roll-up the facade computes (every objective's progress and the period score).
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_mixed_concurrent_workload_loses_nothing() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var quarter = Quarter();
        await store.SavePeriodAsync(tenant, quarter, 0);
        var objectives = new List<Objective>();
        for (var i = 0; i < 4; i++)
        {
            // Objective 0 at the top; 1 and 2 contribute to it, 3 to objective 1.
            // Measures that the workload's values (0 to 300) move, so the roll-up is not all zeros.
            var clock = new FixedClock(Start);
            var draft = NewObjective(quarter.Id, $"Objective {i}").WithKeyResults(
                [
                    new KeyResult(new KeyResultId(Guid.NewGuid()), "Up", new IncreaseMeasure(0, 300)),
                    new KeyResult(new KeyResultId(Guid.NewGuid()), "Down", new DecreaseMeasure(300, 50), weight: 2),
                    new KeyResult(new KeyResultId(Guid.NewGuid()), "Up more", new IncreaseMeasure(100, 250)),
                ],
                clock);
            draft = i == 0 ? draft : draft.WithAlignments([new AlignmentLink(objectives[i == 3 ? 1 : 0].Id, weight: i)], clock);
            objectives.Add(await store.SaveObjectiveAsync(tenant, draft, 0));
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

        // The facade's roll-up over the store against one recomputed from the history, parent by parent; half of
        // a parent's progress comes from the objectives aligned to it, so the alignment tree takes part.
        var now = Start + Duration.FromDays(40);
        var scoring = new OkrScoring(source: RollupSource.Blend(0.5));
        var summary = await new OkrService(store, new FixedClock(now), new OkrServiceOptions { Scoring = scoring }).Progress.SummarizeAsync(tenant, quarter.Id);
        var final = new List<Objective>();
        foreach (var o in objectives)
        {
            final.Add((await store.GetObjectiveAsync(tenant, o.Id))!);
        }

        ObjectiveProgress Recompute(Objective o) => scoring.Evaluate(
            o,
            k => CheckInHistory.AsOf(history.Where(c => c.KeyResultId == k), now)?.Value,
            final.SelectMany(child => child.Alignments.Where(l => l.ParentObjectiveId == o.Id).Select(l => new ChildProgress(child, l, Recompute(child).Progress))));
        var recomputed = final.Select(Recompute).ToList();
        Assert.Equal(
            recomputed.Select(p => (p.Objective.Id, p.Progress)).OrderBy(p => p.Id),
            summary.Objectives.Select(s => (s.Progress.Objective.Id, s.Progress.Progress)).OrderBy(p => p.Id));
        Assert.All(recomputed, p => Assert.InRange(p.Progress!.Value, 0.01, 1.0));
        Assert.All(recomputed.Take(2), p => Assert.NotNull(p.FromAlignedObjectives));
        Assert.Equal(scoring.PeriodScore(recomputed), summary.Score);
    });

    /// <summary>A clock that always reads one instant.</summary>
    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
