using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using NodaTime;
using Okr.Core.Events;
using Okr.Core.Serialization;

namespace Okr.Core.Storage;

/// <summary>
/// The default store: everything in memory, nothing persisted. Thread-safe; each tenant's data is an
/// immutable snapshot replaced atomically under a per-tenant lock, so readers never see half a write
/// and a failed write changes nothing.
/// </summary>
public sealed class InMemoryOkrStore : IOkrStore, IOkrEventOutbox, IOkrStoreHealth
{
    /// <inheritdoc/>
    /// <remarks>Always healthy: the data is in this process.</remarks>
    public ValueTask<OkrStoreHealthReport> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(new OkrStoreHealthReport(true, $"In memory: {_tenants.Count} tenants."));
    }

    private readonly ConcurrentDictionary<TenantId, TenantSlot> _tenants = new();

    /// <inheritdoc/>
    public ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckChangeSet(tenant, changes);
        OkrCommitResult? result = null;
        Write(tenant, s =>
        {
            // The snapshot is in memory: the shared algorithm completes synchronously, under the tenant's lock.
            var target = new SnapshotTarget(s);
            result = StoreRules.CommitAsync(changes, target, cancellationToken).AsTask().GetAwaiter().GetResult();
            return target.State;
        }, cancellationToken);
        return ValueTask.FromResult(result!);
    }

    /// <inheritdoc/>
    public ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) =>
        Read(tenant, s => Content(s, period), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        Read(tenant, s => s.Periods.GetValueOrDefault(id), cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var state = await Read(tenant, s => s, cancellationToken).ConfigureAwait(false);
        foreach (var p in state.Periods.Values.OrderBy(p => p.Dates.Start).ThenBy(p => p.Id))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return p;
        }
    }

    /// <inheritdoc/>
    public ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) =>
        Read(tenant, s => s.Objectives.GetValueOrDefault(id), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Objective>> GetObjectivesAsync(TenantId tenant, IReadOnlyCollection<ObjectiveId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Read<IReadOnlyList<Objective>>(tenant, s => [.. ids.Distinct().Order().Where(s.Objectives.ContainsKey).Select(id => s.Objectives[id])], cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var state = await Read(tenant, s => s, cancellationToken).ConfigureAwait(false);
        if (!state.Periods.TryGetValue(id, out var current))
        {
            yield break;
        }

        foreach (var version in state.SupersededPeriods.GetValueOrDefault(id, []))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return version;
        }

        yield return current;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var state = await Read(tenant, s => s, cancellationToken).ConfigureAwait(false);
        if (!state.Objectives.TryGetValue(id, out var current))
        {
            yield break;
        }

        foreach (var version in state.Superseded.GetValueOrDefault(id, []))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return version;
        }

        yield return current;
    }

    /// <inheritdoc/>
    public ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) =>
        Read(tenant, s => s.KeyResultOwners.TryGetValue(keyResult, out var o) ? s.Objectives[o] : null, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<KeyResultId, Objective>> FindObjectivesByKeyResultsAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyResults);
        return Read<IReadOnlyDictionary<KeyResultId, Objective>>(
            tenant,
            s => keyResults.Distinct().Where(s.KeyResultOwners.ContainsKey).ToDictionary(k => k, k => s.Objectives[s.KeyResultOwners[k]]),
            cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var state = await Read(tenant, s => s, cancellationToken).ConfigureAwait(false);
        var count = 0;
        foreach (var o in InOrder(state, query.Period).After(query.After))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (query.Matches(o))
            {
                if (count++ == query.Limit)
                {
                    yield break;
                }

                yield return o;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default) =>
        Read(tenant, s => s.CheckIns.GetValueOrDefault(id), cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = await Read(tenant, s => s.History.GetValueOrDefault(keyResult, ImmutableList<CheckIn>.Empty), cancellationToken).ConfigureAwait(false);
        foreach (var c in history.OrderBy(c => c.EffectiveAt).ThenBy(c => c.RecordedAt).ThenBy(c => c.Id))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return c;
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyResults);
        return Read<IReadOnlyDictionary<KeyResultId, CheckIn>>(tenant, s =>
        {
            var result = new Dictionary<KeyResultId, CheckIn>();
            foreach (var kr in keyResults)
            {
                var inForce = knownAt is null ? InForce(s, kr, effectiveAt)
                    : s.History.TryGetValue(kr, out var history) ? CheckInHistory.AsOf(history, effectiveAt, knownAt)
                    : null;
                if (inForce is { } c)
                {
                    result[kr] = c;
                }
            }

            return result;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> GetHistoriesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyResults);
        return Read<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>>(tenant, s =>
        {
            var result = new Dictionary<KeyResultId, IReadOnlyList<CheckIn>>(keyResults.Count);
            foreach (var kr in keyResults)
            {
                if (s.History.TryGetValue(kr, out var history))
                {
                    result[kr] = [.. history.OrderBy(c => c.EffectiveAt).ThenBy(c => c.RecordedAt).ThenBy(c => c.Id)];
                }
            }

            return result;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<(KeyResultId KeyResult, Instant RecordedAt)> ListRecordedAsync(TenantId tenant, PeriodId period, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var found = await Read(tenant, s =>
        {
            var list = new List<(KeyResultId, Instant)>();
            foreach (var o in InOrder(s, period).After(null))
            {
                foreach (var kr in o.KeyResultArray)
                {
                    if (s.History.TryGetValue(kr.Id, out var history))
                    {
                        foreach (var c in history)
                        {
                            list.Add((c.KeyResultId, c.RecordedAt));
                        }
                    }
                }
            }

            return list;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var item in found)
        {
            yield return item;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Objective> ListSubtreesAsync(TenantId tenant, PeriodId period, IReadOnlyCollection<ObjectiveId> roots, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var found = await Read(tenant, s =>
        {
            var seen = new HashSet<ObjectiveId>();
            var reached = new List<Objective>();
            foreach (var root in roots)
            {
                if (s.Objectives.TryGetValue(root, out var o) && o.PeriodId == period && seen.Add(root))
                {
                    reached.Add(o);
                }
            }

            return Down(s, new Queue<ObjectiveId>(seen), seen, reached, p => p == period);
        }, cancellationToken).ConfigureAwait(false);
        foreach (var o in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return o;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Implemented explicitly: call it through <see cref="IOkrStore"/>.</remarks>
    async IAsyncEnumerable<Objective> IOkrStore.ListAlignedUnderAsync(TenantId tenant, IReadOnlyCollection<PeriodId> periods, IReadOnlyCollection<ObjectiveId> parents, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(parents);
        var within = periods.ToHashSet();
        var found = await Read(tenant, s =>
        {
            var seen = parents.ToHashSet();
            return Down(s, new Queue<ObjectiveId>(seen), seen, [], within.Contains);
        }, cancellationToken).ConfigureAwait(false);
        foreach (var o in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return o;
        }
    }

    /// <summary>
    /// Walks down the index of links from the objectives queued, adding to <paramref name="reached"/> each child not
    /// <paramref name="seen"/> whose period <paramref name="within"/> keeps (each looked up once, when first reached),
    /// and returns it sorted by id.
    /// </summary>
    private static List<Objective> Down(TenantData s, Queue<ObjectiveId> queue, HashSet<ObjectiveId> seen, List<Objective> reached, Func<PeriodId, bool> within)
    {
        while (queue.TryDequeue(out var id))
        {
            foreach (var child in s.Children.GetValueOrDefault(id, []))
            {
                if (!seen.Contains(child) && s.Objectives[child] is var c && within(c.PeriodId))
                {
                    seen.Add(child);
                    reached.Add(c);
                    queue.Enqueue(child);
                }
            }
        }

        reached.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return reached;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>> GetCurrentValuesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyResults);
        return Read<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>>(tenant, s =>
        {
            var result = new Dictionary<KeyResultId, KeyResultCurrent>(keyResults.Count);
            foreach (var kr in keyResults)
            {
                if (s.Current.TryGetValue(kr, out var current))
                {
                    result[kr] = current.InForce is { } c && c.EffectiveAt > at ? new KeyResultCurrent(current.KeyResult, InForce(s, kr, at), current.LastRecordedAt) : current;
                }
            }

            return result;
        }, cancellationToken);
    }

    /// <summary>The check-in in force at an instant, all known: the maintained one unless it takes effect later.</summary>
    private static CheckIn? InForce(TenantData s, KeyResultId kr, Instant at) =>
        !s.Current.TryGetValue(kr, out var current) ? null
        : current.InForce is { } c && c.EffectiveAt <= at ? c
        : CheckInHistory.AsOf(s.History[kr], at);

    /// <inheritdoc/>
    public ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        StoreRules.CheckTenant(tenant, document);
        Write(tenant, s =>
        {
            // The snapshot is in memory: the check completes synchronously, under the tenant's lock.
            var check = StoreRules.CheckImportAsync(document, (ids, _) => ValueTask.FromResult<IReadOnlyList<Objective>>([.. ids.Where(s.Objectives.ContainsKey).Select(id => s.Objectives[id])]), cancellationToken);
            check.GetAwaiter().GetResult();
            var next = s;
            foreach (var p in document.Periods)
            {
                next = PutPeriod(next, p);
            }

            progress?.Report(new ImportProgress(ImportStage.Periods, document.Periods.Count, document.Periods.Count));
            for (var i = 0; i < document.Objectives.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                next = PutObjective(next, document.Objectives[i]);
                if ((i + 1) % StoreRules.ProgressEvery == 0 || i + 1 == document.Objectives.Count)
                {
                    progress?.Report(new ImportProgress(ImportStage.Objectives, i + 1, document.Objectives.Count));
                }
            }

            (next, _) = Append(next, document.CheckIns);
            progress?.Report(new ImportProgress(ImportStage.CheckIns, document.CheckIns.Count, document.CheckIns.Count));
            return next;
        }, cancellationToken);
        progress?.Report(new ImportProgress(ImportStage.Committed, 1, 1));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default) =>
        Read(tenant, s =>
        {
            var periods = s.Periods.Values.Where(p => period is null || p.Id == period).OrderBy(p => p.Dates.Start).ThenBy(p => p.Id).ToList();
            var objectives = InOrder(s, period).After(null).ToList();
            var krs = objectives.SelectMany(o => o.KeyResults).Select(k => k.Id).ToHashSet();
            var checkIns = s.CheckIns.Values.Where(c => period is null || krs.Contains(c.KeyResultId)).OrderBy(c => c.Id).ToList();
            return new OkrDocument(tenant, periods, objectives, checkIns);
        }, cancellationToken);

    /// <summary>The objectives of a period in id order, or the tenant's when <paramref name="period"/> is null.</summary>
    private static SortedObjectives InOrder(TenantData s, PeriodId? period) =>
        period is { } p ? s.ByPeriod.GetValueOrDefault(p, SortedObjectives.Empty) : s.ObjectivesInOrder;

    private static PeriodContent Content(TenantData s, PeriodId period)
    {
        long objectives = 0, checkIns = 0;
        foreach (var o in InOrder(s, period).After(null))
        {
            objectives++;
            foreach (var kr in o.KeyResultArray)
            {
                checkIns += s.History.GetValueOrDefault(kr.Id)?.Count ?? 0;
            }
        }

        return new PeriodContent(objectives, checkIns);
    }

    private static TenantData PutPeriod(TenantData s, OkrPeriod period) =>
        s.Periods.TryGetValue(period.Id, out var previous)
            ? s with { Periods = s.Periods.SetItem(period.Id, period), SupersededPeriods = s.SupersededPeriods.SetItem(period.Id, s.SupersededPeriods.GetValueOrDefault(period.Id, []).Add(previous)) }
            : s with { Periods = s.Periods.SetItem(period.Id, period) };

    private static TenantData PutObjective(TenantData s, Objective objective)
    {
        var owners = s.KeyResultOwners;
        var superseded = s.Superseded;
        var children = s.Children;
        if (s.Objectives.TryGetValue(objective.Id, out var previous))
        {
            owners = owners.RemoveRange(previous.KeyResults.Select(k => k.Id));
            superseded = superseded.SetItem(objective.Id, superseded.GetValueOrDefault(objective.Id, []).Add(previous));
            foreach (var link in previous.AlignmentArray)
            {
                children = children.SetItem(link.ParentObjectiveId, children[link.ParentObjectiveId].Remove(objective.Id));
            }
        }

        foreach (var link in objective.AlignmentArray)
        {
            var siblings = children.GetValueOrDefault(link.ParentObjectiveId, []);
            if (!siblings.Contains(objective.Id))
            {
                children = children.SetItem(link.ParentObjectiveId, siblings.Add(objective.Id));
            }
        }

        foreach (var kr in objective.KeyResultArray)
        {
            if (owners.TryGetValue(kr.Id, out var other) && other != objective.Id)
            {
                throw StoreRules.KeyResultTaken(kr.Id, other);
            }

            owners = owners.SetItem(kr.Id, objective.Id);
        }

        var byPeriod = s.ByPeriod;
        if (previous is not null && previous.PeriodId != objective.PeriodId)
        {
            byPeriod = byPeriod.SetItem(previous.PeriodId, byPeriod[previous.PeriodId].Remove(previous));
        }

        byPeriod = byPeriod.SetItem(objective.PeriodId, byPeriod.GetValueOrDefault(objective.PeriodId, SortedObjectives.Empty).Set(objective));
        return s with { ObjectivesInOrder = s.ObjectivesInOrder.Set(objective), ByPeriod = byPeriod, Objectives = s.Objectives.SetItem(objective.Id, objective), KeyResultOwners = owners, Superseded = superseded, Children = children };
    }

    private static (TenantData State, int Added) Append(TenantData s, IReadOnlyList<CheckIn> checkIns)
    {
        var all = s.CheckIns.ToBuilder();
        var history = s.History.ToBuilder();
        var added = 0;
        HashSet<KeyResultId>? touched = null;
        foreach (var c in checkIns)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(checkIns));
            StoreRules.CheckInstants(c);
            if (all.TryGetValue(c.Id, out var existing))
            {
                StoreRules.CheckSameCheckIn(existing, c);
                continue;
            }

            all[c.Id] = c;
            history[c.KeyResultId] = history.GetValueOrDefault(c.KeyResultId, ImmutableList<CheckIn>.Empty).Add(c);
            touched ??= [];
            touched.Add(c.KeyResultId);
            added++;
        }

        if (touched is null)
        {
            return (s, 0);
        }

        // The current value of each key result the batch touched, with the same snapshot as the check-ins.
        var current = s.Current.ToBuilder();
        foreach (var kr in touched)
        {
            var krHistory = history[kr];
            current[kr] = new KeyResultCurrent(kr, CheckInHistory.AsOf(krHistory, Instant.MaxValue), krHistory.Max(c => c.RecordedAt));
        }

        return (s with { CheckIns = all.ToImmutable(), History = history.ToImmutable(), Current = current.ToImmutable() }, added);
    }

    /// <inheritdoc/>
    public ValueTask<Objective?> FindLastHolderAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) =>
        Read(tenant, s =>
        {
            if (s.KeyResultOwners.TryGetValue(keyResult, out var holder))
            {
                return s.Objectives.GetValueOrDefault(holder);
            }

            var last = s.Superseded
                .SelectMany(p => p.Value.Where(v => v.FindKeyResult(keyResult) is not null).Select(v => (Id: p.Key, v.UpdatedAt)))
                .OrderByDescending(x => x.UpdatedAt)
                .Select(x => (ObjectiveId?)x.Id)
                .FirstOrDefault();
            return last is { } id ? s.Objectives.GetValueOrDefault(id) : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OkrEventLease>> LeaseAsync(string owner, Instant now, Duration duration, int maxTenants, IReadOnlyCollection<TenantId>? tenants = null, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckLease(owner, duration, maxTenants, tenants);
        cancellationToken.ThrowIfCancellationRequested();
        var token = Guid.NewGuid();
        var due = new List<(Instant Due, TenantId Tenant, TenantSlot Slot)>();
        foreach (var (tenant, slot) in _tenants)
        {
            if (tenants is not null && !tenants.Contains(tenant))
            {
                continue;
            }

            lock (slot)
            {
                if (slot.Current.LastSequence > slot.DeliveredThrough && slot.NextAttemptAt <= now && (slot.LeaseToken is null || slot.LeaseUntil <= now))
                {
                    due.Add((slot.NextAttemptAt, tenant, slot));
                }
            }
        }

        var leases = new List<OkrEventLease>();
        foreach (var (_, tenant, slot) in due.OrderBy(d => d.Due).ThenBy(d => d.Tenant).Take(maxTenants))
        {
            lock (slot)
            {
                // Checked again under the lock: another caller may have taken it in between.
                if (slot.LeaseToken is null || slot.LeaseUntil <= now)
                {
                    slot.LeaseToken = token;
                    slot.LeaseOwner = owner;
                    slot.LeaseUntil = now + duration;
                    leases.Add(new OkrEventLease(tenant, token, owner, slot.DeliveredThrough, slot.Current.LastSequence, slot.Attempts, slot.LeaseUntil));
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<OkrEventLease>>(leases);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OkrEvent>> ReadEventsAsync(TenantId tenant, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckEventPage(afterSequence, limit);
        return Read<IReadOnlyList<OkrEvent>>(tenant, s =>
        {
            // Sequences increase along the list: find the first after the cursor by halving.
            var (lo, hi) = (0, s.Events.Count);
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                (lo, hi) = s.Events[mid].Sequence <= afterSequence ? (mid + 1, hi) : (lo, mid);
            }

            return [.. s.Events.Skip(lo).Take(limit)];
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> AcknowledgeAsync(OkrEventLease lease, long throughSequence, Instant leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return Leased(lease, slot =>
        {
            slot.DeliveredThrough = Math.Max(slot.DeliveredThrough, Math.Min(throughSequence, slot.Current.LastSequence));
            slot.Attempts = 0;
            slot.LastError = null;
            slot.LeaseUntil = leaseUntil;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> ReleaseAsync(OkrEventLease lease, OkrEventFailure? failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return Leased(lease, slot =>
        {
            slot.LeaseToken = null;
            slot.LeaseOwner = null;
            if (failure is not null)
            {
                slot.Attempts++;
                slot.NextAttemptAt = failure.RetryAt;
                slot.LastError = failure.Error;
            }
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> PruneAsync(Instant occurredBefore, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long pruned = 0;
        foreach (var slot in _tenants.Values)
        {
            lock (slot)
            {
                var s = slot.Current;
                var gone = s.Events.Where(e => e.Sequence <= slot.DeliveredThrough && e.OccurredAt < occurredBefore).ToList();
                if (gone.Count > 0)
                {
                    slot.Current = s with { Events = s.Events.RemoveAll(e => e.Sequence <= slot.DeliveredThrough && e.OccurredAt < occurredBefore) };
                    pruned += gone.Count;
                }
            }
        }

        return ValueTask.FromResult(pruned);
    }

    /// <inheritdoc/>
    public ValueTask<OkrEventStreamState?> GetStreamStateAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant, out var slot))
        {
            return ValueTask.FromResult<OkrEventStreamState?>(null);
        }

        lock (slot)
        {
            return ValueTask.FromResult<OkrEventStreamState?>(slot.Current.LastSequence == 0 ? null : new OkrEventStreamState(
                tenant, slot.Current.LastSequence, slot.DeliveredThrough, slot.Attempts, slot.NextAttemptAt, slot.LastError, slot.LeaseOwner, slot.LeaseToken is null ? null : slot.LeaseUntil));
        }
    }

    private ValueTask<bool> Leased(OkrEventLease lease, Action<TenantSlot> change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(lease.Tenant, out var slot))
        {
            return ValueTask.FromResult(false);
        }

        lock (slot)
        {
            if (slot.LeaseToken != lease.Token)
            {
                return ValueTask.FromResult(false);
            }

            change(slot);
            return ValueTask.FromResult(true);
        }
    }

    private ValueTask<T> Read<T>(TenantId tenant, Func<TenantData, T> read, CancellationToken cancellationToken)
    {
        StoreRules.RequireTenant(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(read(_tenants.TryGetValue(tenant, out var data) ? data.Current : TenantData.Empty));
    }

    private void Write(TenantId tenant, Func<TenantData, TenantData> change, CancellationToken cancellationToken)
    {
        StoreRules.RequireTenant(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        var data = _tenants.GetOrAdd(tenant, static _ => new TenantSlot());
        lock (data)
        {
            // Compute the whole new snapshot first: an exception leaves the current one in place.
            var next = change(data.Current);
            cancellationToken.ThrowIfCancellationRequested();
            data.Current = next;
        }
    }

    /// <summary>A unit of work applied to one snapshot, building the next.</summary>
    private sealed class SnapshotTarget(TenantData state) : IOkrCommitTarget
    {
        public TenantData State { get; private set; } = state;

        public ValueTask<IReadOnlyDictionary<PeriodId, long>> PeriodVersionsAsync(IReadOnlyList<PeriodId> ids, bool exclusive, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<PeriodId, long>>(ids.Where(State.Periods.ContainsKey).ToDictionary(id => id, id => State.Periods[id].Version));

        public ValueTask<IReadOnlyDictionary<ObjectiveId, long>> ObjectiveVersionsAsync(IReadOnlyList<ObjectiveId> ids, bool exclusive, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<ObjectiveId, long>>(ids.Where(State.Objectives.ContainsKey).ToDictionary(id => id, id => State.Objectives[id].Version));

        public ValueTask<PeriodContent> CountAsync(PeriodId period, CancellationToken cancellationToken) => ValueTask.FromResult(Content(State, period));

        // The unit commits under the tenant's lock against one snapshot: no check-in lands between the count and the write.
        public ValueTask<long> CountCheckInsAsync(KeyResultId keyResult, CancellationToken cancellationToken) =>
            ValueTask.FromResult((long)(State.History.TryGetValue(keyResult, out var history) ? history.Count : 0));

        public ValueTask<long> CountPeriodsAsync(CancellationToken cancellationToken) => ValueTask.FromResult((long)State.Periods.Count);

        public ValueTask WritePeriodAsync(OkrPeriod period, bool exists, CancellationToken cancellationToken)
        {
            State = PutPeriod(State, period);
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteObjectivesAsync(IReadOnlyList<Objective> objectives, IReadOnlyList<bool> exist, CancellationToken cancellationToken)
        {
            foreach (var o in objectives)
            {
                State = PutObjective(State, o);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<int> AppendAsync(IReadOnlyList<CheckIn> checkIns, ISet<CheckInId> skipped, CancellationToken cancellationToken)
        {
            foreach (var c in checkIns)
            {
                if (c is not null && State.CheckIns.ContainsKey(c.Id))
                {
                    skipped.Add(c.Id);
                }
            }

            (State, var added) = Append(State, checkIns);
            return ValueTask.FromResult(added);
        }

        public ValueTask<long> ReserveSequenceAsync(int count, CancellationToken cancellationToken)
        {
            var first = State.LastSequence + 1;
            State = State with { LastSequence = State.LastSequence + count };
            return ValueTask.FromResult(first);
        }

        public ValueTask WriteEventsAsync(IReadOnlyList<OkrEvent> events, CancellationToken cancellationToken)
        {
            State = State with { Events = State.Events.AddRange(events) };
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Holds a tenant's current snapshot; its lock serialises the tenant's writers.</summary>
    private sealed class TenantSlot
    {
        private TenantData _current = TenantData.Empty;

        // The event stream's delivery state, changed under the slot's lock.
        public long DeliveredThrough { get; set; }

        public Guid? LeaseToken { get; set; }

        public string? LeaseOwner { get; set; }

        public Instant LeaseUntil { get; set; }

        public int Attempts { get; set; }

        public Instant NextAttemptAt { get; set; } = Instant.MinValue;

        public string? LastError { get; set; }

        public TenantData Current
        {
            get => Volatile.Read(ref _current);
            set => Volatile.Write(ref _current, value);
        }
    }

    /// <summary>One immutable snapshot of a tenant's data.</summary>
    private sealed record TenantData
    {
        public static readonly TenantData Empty = new();

        public ImmutableDictionary<PeriodId, OkrPeriod> Periods { get; init; } = ImmutableDictionary<PeriodId, OkrPeriod>.Empty;

        /// <summary>The objectives in id order, for listings of the tenant.</summary>
        public SortedObjectives ObjectivesInOrder { get; init; } = SortedObjectives.Empty;

        /// <summary>Each period's objectives in id order, for listings of a period: they cost the period, not the tenant.</summary>
        public LayeredMap<PeriodId, SortedObjectives> ByPeriod { get; init; } = LayeredMap<PeriodId, SortedObjectives>.Empty;

        /// <summary>The same objectives by id, for lookups (a hash probe, not a walk of the sorted tree).</summary>
        public LayeredMap<ObjectiveId, Objective> Objectives { get; init; } = LayeredMap<ObjectiveId, Objective>.Empty;

        public LayeredMap<KeyResultId, ObjectiveId> KeyResultOwners { get; init; } = LayeredMap<KeyResultId, ObjectiveId>.Empty;

        public LayeredMap<CheckInId, CheckIn> CheckIns { get; init; } = LayeredMap<CheckInId, CheckIn>.Empty;

        public LayeredMap<KeyResultId, ImmutableList<CheckIn>> History { get; init; } = LayeredMap<KeyResultId, ImmutableList<CheckIn>>.Empty;

        /// <summary>The objectives aligned to each objective (by any link, each once), kept with every objective write.</summary>
        public LayeredMap<ObjectiveId, ImmutableArray<ObjectiveId>> Children { get; init; } = LayeredMap<ObjectiveId, ImmutableArray<ObjectiveId>>.Empty;

        /// <summary>Each key result's check-in in force at the end of time and its latest recorded instant, kept with every append.</summary>
        public LayeredMap<KeyResultId, KeyResultCurrent> Current { get; init; } = LayeredMap<KeyResultId, KeyResultCurrent>.Empty;

        /// <summary>Every version of a period that a later save replaced, oldest first.</summary>
        public ImmutableDictionary<PeriodId, ImmutableList<OkrPeriod>> SupersededPeriods { get; init; } = ImmutableDictionary<PeriodId, ImmutableList<OkrPeriod>>.Empty;

        /// <summary>Every version of an objective that a later write replaced, oldest first.</summary>
        public ImmutableDictionary<ObjectiveId, ImmutableList<Objective>> Superseded { get; init; } = ImmutableDictionary<ObjectiveId, ImmutableList<Objective>>.Empty;

        /// <summary>The outbox: the tenant's events not yet pruned, in sequence order.</summary>
        public ImmutableList<OkrEvent> Events { get; init; } = ImmutableList<OkrEvent>.Empty;

        /// <summary>The last sequence number taken (0: none yet).</summary>
        public long LastSequence { get; init; }
    }
}
