using System.Globalization;
using System.Text;
using NodaTime;
using Okr.Core;
using Okr.Core.Access;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

// Nothing hidden leaks, through the facade, on every store: an access-route matrix. A private objective, aligned as a
// child under a public one and with a key result since removed, is read and addressed through every public read and
// every error path by a person who may not read it, under both roll-up options. No title, id, value, note or owner of
// it reaches that person, and addressing it answers exactly as addressing an id that does not exist.
public abstract partial class OkrStoreSpecification
{
    /// <summary>The access-route matrix, with hidden objectives counted in roll-ups (the default).</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Visibility_nothing_of_a_hidden_objective_reaches_a_person_who_may_not_read_it() => VisibilityMatrix(HiddenObjectives.Counted);

    /// <summary>The access-route matrix, with hidden objectives excluded from roll-ups.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Visibility_nothing_of_a_hidden_objective_reaches_a_person_when_roll_ups_exclude_it() => VisibilityMatrix(HiddenObjectives.Excluded);

    private Task VisibilityMatrix(HiddenObjectives hidden) => WithStore(async store =>
    {
        var w = await VisibilityWorld.CreateAsync(store, hidden);
        var eve = w.Eve;
        var seen = new StringBuilder();
        var missingObjective = new ObjectiveId(Guid.NewGuid());
        var missingKeyResult = new KeyResultId(Guid.NewGuid());
        var missingCheckIn = new CheckInId(Guid.NewGuid());

        // Reads.
        var list = await ToListAsync(eve.Objectives.ListAsync(w.Tenant));
        Assert.Equal(new[] { w.Parent.Id, w.EvesOwn.Id }.Order(), list.Select(o => o.Id).Order());
        var paged = new List<Objective>();
        for (ObjectiveId? after = null; ;)
        {
            var page = await ToListAsync(eve.Objectives.ListAsync(w.Tenant, new ObjectiveQuery { Limit = 1, After = after }));
            if (page.Count == 0)
            {
                break;
            }

            paged.AddRange(page);
            after = page[^1].Id;
        }

        Assert.Equal(list.Select(o => o.Id), paged.Select(o => o.Id));   // filtered before the limit: the pager sees both
        seen.AppendJoin('\n', list.Select(OkrJson.SerializeObjective));
        foreach (var revision in await eve.Objectives.HistoryAsync(w.Tenant, w.Parent.Id))
        {
            seen.Append(OkrJson.SerializeObjective(revision.Objective)).AppendJoin(';', revision.Changes);
        }

        var summary = await eve.Progress.SummarizeAsync(w.Tenant, w.Period.Id);
        Assert.DoesNotContain(summary.Objectives, s => s.Progress.Objective.Id == w.Hidden.Id);
        seen.Append(Dump(summary));
        seen.Append(Dump(await eve.Progress.GetObjectiveStatusAsync(w.Tenant, w.Parent.Id)));
        seen.AppendJoin('\n', (await eve.CheckIns.PeriodHistoryAsync(w.Tenant, w.Period.Id)).Select(Dump));
        foreach (var kr in w.Parent.KeyResults)
        {
            seen.AppendJoin('\n', (await eve.CheckIns.HistoryAsync(w.Tenant, kr.Id)).Select(Dump));
        }

        // Addressed by id, the hidden objective and its parts answer as missing ones do.
        async Task Same(Func<string, Task> call, string hiddenId, string missingId)
        {
            var (a, b) = (await Outcome(() => call(hiddenId)), await Outcome(() => call(missingId)));
            Assert.Equal(b.Replace(missingId, "ID", StringComparison.Ordinal), a.Replace(hiddenId, "ID", StringComparison.Ordinal));
            seen.Append(a.Replace(hiddenId, "ID", StringComparison.Ordinal)).Append('\n');   // the id the caller gave is no news to them
        }

        var (o, m) = (w.Hidden.Id.ToString(), missingObjective.ToString());
        await Same(id => eve.Objectives.GetAsync(w.Tenant, ObjectiveId.Parse(id)).AsTask(), o, m);
        await Same(id => eve.Objectives.HistoryAsync(w.Tenant, ObjectiveId.Parse(id)).AsTask(), o, m);
        await Same(id => eve.Progress.GetObjectiveStatusAsync(w.Tenant, ObjectiveId.Parse(id)).AsTask(), o, m);

        // Scoped summaries: a subtree rooted at the visible parent, the hidden objective's owner, the top level, pages
        // of one (the hidden objective is not counted in the paging); a subtree rooted at it answers as a missing one.
        seen.Append(Dump(await eve.Progress.SummarizeAsync(w.Tenant, w.Period.Id, new SummaryScope { Subtree = w.Parent.Id })));
        var byOwner = await eve.Progress.SummarizeAsync(w.Tenant, w.Period.Id, new SummaryScope { Owners = [w.Hidden.Owner] });
        Assert.DoesNotContain(byOwner.Objectives, s => s.Progress.Objective.Id == w.Hidden.Id);
        seen.Append(Dump(byOwner));
        seen.Append(Dump(await eve.Progress.SummarizeAsync(w.Tenant, w.Period.Id, new SummaryScope { Levels = 1 })));
        var pagedIds = new List<ObjectiveId>();
        for (ObjectiveId? after = null; ;)
        {
            var page = await eve.Progress.SummarizeAsync(w.Tenant, w.Period.Id, new SummaryScope { Limit = 1, After = after });
            seen.Append(Dump(page));
            pagedIds.AddRange(page.Objectives.Select(s => s.Progress.Objective.Id));
            if (page.NextAfter is not { } next)
            {
                break;
            }

            after = next;
        }

        Assert.Equal(summary.Objectives.Select(s => s.Progress.Objective.Id).Order(), pagedIds);
        await Same(id => eve.Progress.SummarizeAsync(w.Tenant, w.Period.Id, new SummaryScope { Subtree = ObjectiveId.Parse(id) }).AsTask(), o, m);
        seen.AppendJoin('\n', (await eve.CheckIns.HistoriesAsync(w.Tenant, [.. w.Parent.KeyResults.Select(k => k.Id), w.HiddenKeyResult])).SelectMany(h => h.Value).Select(Dump));
        await Same(id => eve.Objectives.EditAsync(w.Tenant, ObjectiveId.Parse(id), (x, c) => x.WithTitle("Mine now", c)).AsTask(), o, m);
        await Same(id => eve.Objectives.ActivateAsync(w.Tenant, ObjectiveId.Parse(id)).AsTask(), o, m);
        await Same(id => eve.Objectives.CancelAsync(w.Tenant, ObjectiveId.Parse(id)).AsTask(), o, m);
        await Same(id => eve.Objectives.AlignAsync(w.Tenant, w.EvesOwn.Id, new AlignmentLink(ObjectiveId.Parse(id))).AsTask(), o, m);
        await Same(id => eve.Objectives.AlignAsync(w.Tenant, w.EvesOwn.Id, new AlignmentLink(ObjectiveId.Parse(id), w.HiddenKeyResult)).AsTask(), o, m);
        var (k, mk) = (w.HiddenKeyResult.ToString(), missingKeyResult.ToString());
        await Same(id => eve.CheckIns.RecordAsync(w.Tenant, KeyResultId.Parse(id), 1m, w.EveRef).AsTask(), k, mk);
        await Same(id => Count(eve.CheckIns.HistoryAsync(w.Tenant, KeyResultId.Parse(id)).AsTask()), k, mk);
        await Same(id => Count(eve.CheckIns.HistoryAsync(w.Tenant, KeyResultId.Parse(id)).AsTask()), w.RemovedKeyResult.ToString(), mk);
        var (c, mc) = (w.HiddenCheckIn.ToString(), missingCheckIn.ToString());
        await Same(id => eve.CheckIns.CorrectAsync(w.Tenant, CheckInId.Parse(id), 2m, w.EveRef).AsTask(), c, mc);
        await Same(id => eve.CheckIns.CorrectAsync(w.Tenant, CheckInId.Parse(id), 2m, w.EveRef).AsTask(), w.RemovedCheckIn.ToString(), mc);

        // Ids that are taken cannot be reused, but the error says no more than that.
        async Task Taken(Func<Task> call, string givenId)
        {
            var outcome = await Outcome(call);
            Assert.NotEqual("ok", outcome);
            seen.Append(outcome.Replace(givenId, "ID", StringComparison.Ordinal)).Append('\n');   // the id the caller gave is no news to them
        }

        await Taken(() => eve.CheckIns.RecordAsync(w.Tenant, w.EvesOwn.KeyResults[0].Id, 3m, w.EveRef, id: w.HiddenCheckIn).AsTask(), c);
        await Taken(() => eve.Objectives.CreateAsync(w.Tenant, Objective.Create(w.Hidden.Id, w.Period.Id, "Same id", w.EveRef, w.Clock, keyResults: VisibilityWorld.KeyResults("x"))).AsTask(), o);
        await Taken(() => eve.Objectives.AddKeyResultAsync(w.Tenant, w.EvesOwn.Id, new KeyResult(w.HiddenKeyResult, "Same key result", new MilestoneMeasure())).AsTask(), k);
        seen.Append(await Outcome(() => eve.Transfer.ExportAsync(w.Tenant).AsTask()));

        var text = seen.ToString();
        foreach (var secret in w.Secrets)
        {
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, at < 0 ? null : $"'{secret}' reached a person who may not read it ({hidden}): …{text[Math.Max(0, at - 120)..Math.Min(text.Length, at + 60)]}…");
        }

        // The owner of the hidden objective still reads the history of the key result removed from it: the objective
        // that last held a key result decides.
        var bob = w.System.As(w.Bob);
        Assert.Equal([w.RemovedCheckIn], (await bob.CheckIns.HistoryAsync(w.Tenant, w.RemovedKeyResult)).Select(x => x.Id));

        // What the person may read is there: the matrix looked at real output.
        Assert.Contains(w.Parent.Title, text, StringComparison.Ordinal);
        Assert.Contains(w.EvesOwn.Title, text, StringComparison.Ordinal);
    });

    private static async Task Count<T>(Task<IReadOnlyList<T>> call) => Assert.Empty(await call.ConfigureAwait(false));

    private static async Task<string> Outcome(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return "ok";
        }
        catch (OkrException ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    private static string Dump(PeriodSummary s) =>
        string.Create(CultureInfo.InvariantCulture, $"score {s.Score:R}\n") + string.Join('\n', s.Objectives.Select(Dump)) + string.Join('\n', s.Coverage.Select(c => $"{c.Owner} {c.Objectives} {c.Aligned}"));

    private static string Dump(ObjectiveStatus s) =>
        OkrJson.SerializeObjective(s.Progress.Objective)
        + string.Create(CultureInfo.InvariantCulture, $" {s.Progress.Progress:R} {s.Progress.FromKeyResults:R} {s.Progress.FromAlignedObjectives:R} {s.Health.Status}\n")
        + string.Join('\n', s.KeyResults.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Progress.KeyResult.Id} {k.Progress.KeyResult.Title} {k.Progress.Progress:R} {k.Health.Status} {(k.Latest is null ? string.Empty : Dump(k.Latest))}")));

    private static string Dump(CheckIn c) => string.Create(CultureInfo.InvariantCulture, $"{c.Id} {c.KeyResultId} {c.Value} {c.Note} {c.Author}");

    /// <summary>
    /// Alice's public objective, with a key result fed by aligned objectives; Bob's private objective aligned to it,
    /// checked in (and with a key result checked in and then removed); Eve's own public objective; Eve acting.
    /// </summary>
    private sealed record VisibilityWorld(TenantId Tenant, KitClock Clock, OkrPeriod Period, Objective Parent, Objective Hidden, Objective EvesOwn, OkrService System, OkrService Eve, OwnerRef EveRef, OwnerRef Bob, KeyResultId HiddenKeyResult, KeyResultId RemovedKeyResult, CheckInId HiddenCheckIn, CheckInId RemovedCheckIn, IReadOnlyList<string> Secrets)
    {
        public static KeyResult[] KeyResults(string prefix, ProgressSource last = ProgressSource.Measured) =>
        [
            new(new KeyResultId(Guid.NewGuid()), $"{prefix} one", new IncreaseMeasure(0m, 100m)),
            new(new KeyResultId(Guid.NewGuid()), $"{prefix} two", new IncreaseMeasure(0m, 100m)),
            new(new KeyResultId(Guid.NewGuid()), $"{prefix} three", new IncreaseMeasure(0m, 100m), progressSource: last),
        ];

        public static async Task<VisibilityWorld> CreateAsync(IOkrStore store, HiddenObjectives hidden)
        {
            var tenant = NewTenant();
            var clock = new KitClock(Start);
            var (alice, bob, eve) = (OwnerRef.Person("alice-visible"), OwnerRef.Person("bob-SECRET-OWNER"), OwnerRef.Person("eve"));
            var policy = new OwnersOnlyPolicy();
            var system = new OkrService(store, clock, new OkrServiceOptions { AccessPolicy = policy, HiddenInRollups = hidden });
            var period = await system.Periods.CreateAsync(tenant, Quarter());
            period = await system.Periods.ActivateAsync(tenant, period.Id);
            var parent = await system.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Public parent", alice, clock, keyResults: KeyResults("Parent", ProgressSource.FromAlignedObjectives)));
            parent = await system.Objectives.ActivateAsync(tenant, parent.Id);
            var secretKrs = KeyResults("SECRET-KR").Append(new KeyResult(new KeyResultId(Guid.NewGuid()), "SECRET-REMOVED-KR", new IncreaseMeasure(0m, 100m))).ToArray();
            var child = Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "SECRET-TITLE", bob, clock, description: "SECRET-DESCRIPTION", visibility: Visibility.Private, keyResults: secretKrs)
                .WithAlignments([new AlignmentLink(parent.Id, parent.KeyResults[2].Id)], clock);
            var secret = await system.Objectives.CreateAsync(tenant, child);
            secret = await system.Objectives.ActivateAsync(tenant, secret.Id);
            clock.Now += Duration.FromDays(20);
            var checkIn = await system.CheckIns.RecordAsync(tenant, secret.KeyResults[0].Id, 37.77m, bob, note: "SECRET-NOTE");
            var removedCheckIn = await system.CheckIns.RecordAsync(tenant, secret.KeyResults[3].Id, 41.41m, bob, note: "SECRET-REMOVED-NOTE");
            secret = await system.Objectives.EditAsync(tenant, secret.Id, (o, c) => o.RemoveKeyResult(o.KeyResults[3].Id, c));
            await system.CheckIns.RecordAsync(tenant, parent.KeyResults[0].Id, 12.5m, alice);
            var evesOwn = await system.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Eve owns this", eve, clock, keyResults: KeyResults("Eve")));
            evesOwn = await system.Objectives.ActivateAsync(tenant, evesOwn.Id);
            // The hidden objective's own progress, as the summaries would print it: no figure of it may show, not even
            // as its parent's progress from aligned objectives or as the parent key result it feeds.
            var own = (await system.Progress.GetObjectiveStatusAsync(tenant, secret.Id)).Progress.Progress!.Value;
            string[] secrets =
            [
                secret.Id.ToString(), "SECRET", "bob-", .. secretKrs.Select(k => k.Id.ToString()), checkIn.Id.ToString(), removedCheckIn.Id.ToString(),
                "37.77", "0.3777", "41.41", "0.4141", own.ToString("R", CultureInfo.InvariantCulture),
            ];
            return new VisibilityWorld(tenant, clock, period, parent, secret, evesOwn, system, system.As(eve), eve, bob, secret.KeyResults[0].Id, secretKrs[3].Id, checkIn.Id, removedCheckIn.Id, secrets);
        }
    }

    /// <summary>People read public objectives and their own; each writes their own; nobody manages periods or transfers.</summary>
    private sealed class OwnersOnlyPolicy : IOkrAccessPolicy
    {
        public ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) =>
            ValueTask.FromResult(actor == owner ? OkrRelation.Owner : OkrRelation.None);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(actor == owner);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    /// <summary>The last holder of a key result: the objective holding it, or the one it was removed from; null for one never held.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Visibility_the_last_holder_of_a_removed_key_result_is_found() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = Quarter();
        await store.SavePeriodAsync(tenant, period, 0);
        var objective = await store.SaveObjectiveAsync(tenant, NewObjective(period.Id), 0);
        var other = await store.SaveObjectiveAsync(tenant, NewObjective(period.Id, "Aligned to the key result").WithAlignments([new AlignmentLink(objective.Id, objective.KeyResults[2].Id)], new KitClock(Start)), 0);
        var removed = objective.KeyResults[2].Id;
        Assert.Equal(objective.Id, (await store.FindLastHolderAsync(tenant, removed))!.Id);
        objective = await store.SaveObjectiveAsync(tenant, objective.RemoveKeyResult(removed, new KitClock(Start)), objective.Version);
        Assert.Null(await store.FindObjectiveByKeyResultAsync(tenant, removed));
        Assert.Equal(objective, await store.FindLastHolderAsync(tenant, removed));   // as stored now, not the link in `other`
        Assert.Null(await store.FindLastHolderAsync(tenant, new KeyResultId(Guid.NewGuid())));
        Assert.Null(await store.FindLastHolderAsync(NewTenant(), removed));
        _ = other;
    });
}
