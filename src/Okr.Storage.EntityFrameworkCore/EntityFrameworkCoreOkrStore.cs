using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Serialization;
using Okr.Core.Storage;

namespace Okr.Storage.EntityFrameworkCore;

/// <summary>
/// The store inside the host's own Entity Framework Core <see cref="DbContext"/>: the OKR tables live in the host's model
/// (<see cref="OkrModelBuilderExtensions.AddOkr"/>) and migrations, and every statement is LINQ (no provider-specific SQL),
/// so it runs on any relational provider; SQLite and PostgreSQL (Npgsql) are tested.
/// </summary>
/// <typeparam name="TContext">The host's context type, whose model holds the OKR tables.</typeparam>
/// <remarks>
/// <para>
/// Made over a context (<see cref="EntityFrameworkCoreOkrStore{TContext}(TContext)"/>, the host's scoped one under
/// <c>UseEntityFrameworkCore&lt;TContext&gt;()</c>), the store works in that context: inside a transaction the host has
/// open it writes in a savepoint of it, so the host's own write and the OKR write commit or roll back together; without
/// one it opens its own per call. A write refuses to start while the context has unsaved changes of the host's, which its
/// <c>SaveChanges</c> would otherwise write. Such a store is used by one caller at a time, as its context is.
/// </para>
/// <para>
/// Made over a factory (<see cref="EntityFrameworkCoreOkrStore{TContext}(IDbContextFactory{TContext})"/>), each call
/// gets a context of its own: the store is safe for concurrent use (the event dispatcher uses it this way).
/// </para>
/// <para>
/// Rules hold at commit time as in the other stores: a unit's version reads lock the rows they read (an update that
/// changes nothing, which every relational database holds until commit), so what was checked cannot change before the
/// commit. A transaction of its own that loses a race the database detects (a serialization failure, a deadlock, a key
/// inserted at the same moment) is run again from its start, where the unit's checks see the winner's commit.
/// </para>
/// </remarks>
public sealed class EntityFrameworkCoreOkrStore<TContext> : IOkrStore, IOkrEventOutbox, IOkrStoreHealth
    where TContext : DbContext
{
    private const int Attempts = 10;
    private const int Chunk = 1000;

    // Ids sent as one collection parameter (a JSON array on SQLite, an array on PostgreSQL), not a parameter each.
    private const int BigChunk = 50_000;
    private readonly TContext? _context;
    private readonly IDbContextFactory<TContext>? _factory;

    /// <summary>Initializes a new instance of the <see cref="EntityFrameworkCoreOkrStore{TContext}"/> class over one context.</summary>
    /// <param name="context">The context (the host's; its model must hold the OKR tables).</param>
    public EntityFrameworkCoreOkrStore(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    /// <summary>Initializes a new instance of the <see cref="EntityFrameworkCoreOkrStore{TContext}"/> class that makes a context per call.</summary>
    /// <param name="factory">Makes the contexts.</param>
    public EntityFrameworkCoreOkrStore(IDbContextFactory<TContext> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    /// <inheritdoc/>
    public ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckChangeSet(tenant, changes);
        return WriteAsync((db, token) => StoreRules.CommitAsync(changes, new Target(db, tenant.Value), token).AsTask(), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return ReadAsync((db, token) => CountAsync(db, tenant.Value, period.Value, token), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return ReadAsync(async (db, token) =>
        {
            var row = await db.Set<PeriodRow>().AsNoTracking().FirstOrDefaultAsync(p => p.Tenant == tenant.Value && p.Id == id.Value, token).ConfigureAwait(false);
            return row is null ? null : ToPeriod(row);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return ListAsync(db => db.Set<PeriodRow>().AsNoTracking().Where(p => p.Tenant == tenant.Value).OrderBy(p => p.StartDate).ThenBy(p => p.Id), ToPeriod, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return ReadAsync(async (db, token) =>
        {
            var body = await db.Set<ObjectiveRow>().AsNoTracking().Where(o => o.Tenant == tenant.Value && o.Id == id.Value).Select(o => o.Body).FirstOrDefaultAsync(token).ConfigureAwait(false);
            return body is null ? null : OkrJson.DeserializeObjective(body);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Objective>> GetObjectivesAsync(TenantId tenant, IReadOnlyCollection<ObjectiveId> ids, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(ids);
        return ReadAsync<IReadOnlyList<Objective>>(async (db, token) => await LoadObjectivesAsync(db, tenant.Value, [.. ids.Select(i => i.Value).Distinct()], token).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return HistoryAsync<OkrPeriod>(
            async (db, token) =>
            {
                var current = await db.Set<PeriodRow>().AsNoTracking().FirstOrDefaultAsync(p => p.Tenant == tenant.Value && p.Id == id.Value, token).ConfigureAwait(false);
                if (current is null)
                {
                    return [];
                }

                var replaced = await db.Set<PeriodHistoryRow>().AsNoTracking().Where(h => h.Tenant == tenant.Value && h.Id == id.Value).OrderBy(h => h.Seq).ToListAsync(token).ConfigureAwait(false);
                return [.. replaced.Select(ToPeriod), ToPeriod(current)];
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return HistoryAsync<Objective>(
            async (db, token) =>
            {
                var current = await db.Set<ObjectiveRow>().AsNoTracking().Where(o => o.Tenant == tenant.Value && o.Id == id.Value).Select(o => o.Body).FirstOrDefaultAsync(token).ConfigureAwait(false);
                if (current is null)
                {
                    return [];
                }

                var replaced = await db.Set<ObjectiveHistoryRow>().AsNoTracking().Where(h => h.Tenant == tenant.Value && h.Id == id.Value).OrderBy(h => h.Seq).Select(h => h.Body).ToListAsync(token).ConfigureAwait(false);
                return [.. replaced.Select(OkrJson.DeserializeObjective), OkrJson.DeserializeObjective(current)];
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return ReadAsync(async (db, token) =>
        {
            var t = tenant.Value;
            var body = await db.Set<KeyResultRow>().AsNoTracking().Where(k => k.Tenant == t && k.Id == keyResult.Value)
                .Join(db.Set<ObjectiveRow>().Where(o => o.Tenant == t), k => k.ObjectiveId, o => o.Id, (k, o) => o.Body)
                .FirstOrDefaultAsync(token).ConfigureAwait(false);
            return body is null ? null : OkrJson.DeserializeObjective(body);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<Objective?> FindLastHolderAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default)
    {
        if (await FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false) is { } holder)
        {
            return holder;
        }

        // The latest replaced version whose body holds it (bodies list key results as {"id":"…" objects, which no other
        // member of the body starts with), then that objective as stored now.
        var pattern = $"{{\"id\":\"{keyResult}\"";
        return await ReadAsync(async (db, token) =>
        {
            var t = tenant.Value;
            var id = await db.Set<ObjectiveHistoryRow>().AsNoTracking().Where(h => h.Tenant == t && h.Body.Contains(pattern))
                .OrderByDescending(h => h.Seq).Select(h => (Guid?)h.Id).FirstOrDefaultAsync(token).ConfigureAwait(false);
            if (id is null)
            {
                return null;
            }

            var body = await db.Set<ObjectiveRow>().AsNoTracking().Where(o => o.Tenant == t && o.Id == id.Value).Select(o => o.Body).FirstOrDefaultAsync(token).ConfigureAwait(false);
            return body is null ? null : OkrJson.DeserializeObjective(body);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<KeyResultId, Objective>> FindObjectivesByKeyResultsAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        return ReadAsync<IReadOnlyDictionary<KeyResultId, Objective>>(async (db, token) =>
        {
            var t = tenant.Value;
            var asked = keyResults.ToHashSet();
            var found = new Dictionary<KeyResultId, Objective>();
            foreach (var chunk in asked.Select(k => k.Value).Chunk(Chunk))
            {
                var bodies = await db.Set<ObjectiveRow>().AsNoTracking()
                    .Where(o => o.Tenant == t && db.Set<KeyResultRow>().Any(k => k.Tenant == t && k.ObjectiveId == o.Id && chunk.Contains(k.Id)))
                    .Select(o => o.Body).ToListAsync(token).ConfigureAwait(false);
                foreach (var body in bodies)
                {
                    StoreRules.MapKeyResults(OkrJson.DeserializeObjective(body), asked, found);
                }
            }

            return found;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return ListAsync(
            db =>
            {
                var rows = db.Set<ObjectiveRow>().AsNoTracking().Where(o => o.Tenant == tenant.Value);
                if (query.Period is { } period)
                {
                    rows = rows.Where(o => o.PeriodId == period.Value);
                }

                if (query.Owner is { } owner)
                {
                    var kind = (short)owner.Kind;
                    rows = rows.Where(o => o.OwnerKind == kind && o.OwnerId == owner.ExternalId);
                }

                if (query.State is { } state)
                {
                    var s = (short)state;
                    rows = rows.Where(o => o.State == s);
                }

                if (query.After is { } after)
                {
                    rows = rows.Where(o => o.Id.CompareTo(after.Value) > 0);
                }

                var ordered = rows.OrderBy(o => o.Id);
                return (query.Limit is { } limit ? ordered.Take(limit) : ordered).Select(o => o.Body);
            },
            OkrJson.DeserializeObjective,
            cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Objective> ListSubtreesAsync(TenantId tenant, PeriodId period, IReadOnlyCollection<ObjectiveId> roots, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(roots);
        var objectives = await ReadAsync(async (db, token) =>
        {
            var t = tenant.Value;
            var p = period.Value;
            var found = await db.Set<ObjectiveRow>().AsNoTracking().Where(o => o.Tenant == t && o.PeriodId == p && roots.Select(r => r.Value).Contains(o.Id)).Select(o => o.Id).ToListAsync(token).ConfigureAwait(false);
            found.AddRange(await WalkDownAsync(db, t, [p], [.. found], token).ConfigureAwait(false));
            return await LoadObjectivesAsync(db, t, [.. found], token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        foreach (var o in objectives)
        {
            yield return o;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Implemented explicitly: call it through <see cref="IOkrStore"/>.</remarks>
    async IAsyncEnumerable<Objective> IOkrStore.ListAlignedUnderAsync(TenantId tenant, IReadOnlyCollection<PeriodId> periods, IReadOnlyCollection<ObjectiveId> parents, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(parents);
        var objectives = await ReadAsync(async (db, token) =>
        {
            var t = tenant.Value;
            var found = await WalkDownAsync(db, t, [.. periods.Select(p => p.Value).Distinct()], [.. parents.Select(p => p.Value)], token).ConfigureAwait(false);
            var loaded = await LoadObjectivesAsync(db, t, [.. found], token).ConfigureAwait(false);
            loaded.Sort(static (a, b) => a.Id.CompareTo(b.Id));
            return loaded;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var o in objectives)
        {
            yield return o;
        }
    }

    /// <inheritdoc/>
    public ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return ReadAsync(async (db, token) =>
        {
            var row = await db.Set<CheckInRow>().AsNoTracking().FirstOrDefaultAsync(c => c.Tenant == tenant.Value && c.Id == id.Value, token).ConfigureAwait(false);
            return row is null ? null : ToCheckIn(row);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return ListAsync(
            db => db.Set<CheckInRow>().AsNoTracking().Where(c => c.Tenant == tenant.Value && c.KrId == keyResult.Value).OrderBy(c => c.EffectiveAt).ThenBy(c => c.RecordedAt).ThenBy(c => c.Id),
            ToCheckIn,
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> GetHistoriesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        return ReadAsync<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>>(async (db, token) => await HistoriesAsync(db, tenant.Value, keyResults.Select(k => k.Value), token).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        return ReadAsync<IReadOnlyDictionary<KeyResultId, CheckIn>>(async (db, token) => await ValuesAsOfAsync(db, tenant.Value, keyResults.Select(k => k.Value), effectiveAt, knownAt, token).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Reads each key result's maintained current value (kept in the transaction of every append) by key; a value
    /// effective after <paramref name="at"/> sends that key result to the exact as-of read.
    /// </remarks>
    public ValueTask<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>> GetCurrentValuesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant at, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        return ReadAsync<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>>(async (db, token) =>
        {
            var t = tenant.Value;
            var result = new Dictionary<KeyResultId, KeyResultCurrent>();
            var later = new List<Guid>();
            foreach (var chunk in keyResults.Select(k => k.Value).Distinct().Chunk(BigChunk))
            {
                // One keyed read: each value row holds its check-in in force whole.
                var rows = await db.Set<KeyResultValueRow>().AsNoTracking().Where(v => v.Tenant == t && EF.Parameter(chunk).Contains(v.KrId))
                    .Select(v => new KeyResultValueRow
                    {
                        KrId = v.KrId, CheckInId = v.CheckInId, LastRecordedAt = v.LastRecordedAt, Value = v.Value, AuthorKind = v.AuthorKind, AuthorId = v.AuthorId,
                        EffectiveAt = v.EffectiveAt, RecordedAt = v.RecordedAt, Confidence = v.Confidence, Note = v.Note, Corrects = v.Corrects,
                    })
                    .ToListAsync(token).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    var inForce = row.InForce();
                    result[new KeyResultId(row.KrId)] = new KeyResultCurrent(new KeyResultId(row.KrId), inForce, OkrStoreFormat.FromUnixNanoseconds(row.LastRecordedAt));
                    if (inForce is not null && inForce.EffectiveAt > at)
                    {
                        later.Add(row.KrId);
                    }
                }
            }

            if (later.Count > 0)
            {
                var exact = await ValuesAsOfAsync(db, t, later, at, null, token).ConfigureAwait(false);
                foreach (var kr in later.Select(k => new KeyResultId(k)))
                {
                    result[kr] = new KeyResultCurrent(kr, exact.GetValueOrDefault(kr), result[kr].LastRecordedAt);
                }
            }

            return result;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One transaction: the import's checks read inside it, then set-based writes (no statement per row of its own).</remarks>
    public async ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        StoreRules.CheckTenant(tenant, document);
        await WriteAsync<bool>(async (db, token) =>
        {
            var t = tenant.Value;
            await StoreRules.CheckImportAsync(document, async (ids, ct) => await LoadObjectivesAsync(db, t, [.. ids.Select(i => i.Value)], ct).ConfigureAwait(false), token).ConfigureAwait(false);
            var target = new Target(db, t);
            if (document.Periods.Count > 0)
            {
                var periodIds = document.Periods.Select(p => p.Id.Value).ToList();
                var stored = (await db.Set<PeriodRow>().AsNoTracking().Where(p => p.Tenant == t && periodIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(token).ConfigureAwait(false)).ToHashSet();
                foreach (var period in document.Periods)
                {
                    await target.WritePeriodAsync(period, stored.Contains(period.Id.Value), token).ConfigureAwait(false);
                }
            }

            progress?.Report(new ImportProgress(ImportStage.Periods, document.Periods.Count, document.Periods.Count));
            for (var i = 0; i < document.Objectives.Count; i += Chunk)
            {
                var chunk = document.Objectives.Skip(i).Take(Chunk).ToList();
                var ids = chunk.Select(o => o.Id.Value).ToList();
                var stored = (await db.Set<ObjectiveRow>().AsNoTracking().Where(o => o.Tenant == t && ids.Contains(o.Id)).Select(o => o.Id).ToListAsync(token).ConfigureAwait(false)).ToHashSet();
                await target.WriteObjectivesAsync(chunk, [.. chunk.Select(o => stored.Contains(o.Id.Value))], token).ConfigureAwait(false);
                progress?.Report(new ImportProgress(ImportStage.Objectives, i + chunk.Count, document.Objectives.Count));
            }

            await target.AppendAsync(document.CheckIns, new HashSet<CheckInId>(), token).ConfigureAwait(false);
            progress?.Report(new ImportProgress(ImportStage.CheckIns, document.CheckIns.Count, document.CheckIns.Count));
            return true;
        }, cancellationToken).ConfigureAwait(false);
        progress?.Report(new ImportProgress(ImportStage.Committed, 1, 1));
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<(KeyResultId KeyResult, Instant RecordedAt)> ListRecordedAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        var (t, p) = (tenant.Value, period.Value);
        return ListAsync(
            db =>
            {
                var krs = db.Set<ObjectiveRow>().Where(o => o.Tenant == t && o.PeriodId == p)
                    .Join(db.Set<KeyResultRow>().Where(k => k.Tenant == t), o => o.Id, k => k.ObjectiveId, (o, k) => k.Id);
                return db.Set<CheckInRow>().AsNoTracking().Where(c => c.Tenant == t && krs.Contains(c.KrId)).Select(c => new { c.KrId, c.RecordedAt });
            },
            r => (new KeyResultId(r.KrId), OkrStoreFormat.FromUnixNanoseconds(r.RecordedAt)),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        var t = tenant.Value;
        var checkIns = ListAsync(
            db =>
            {
                var rows = db.Set<CheckInRow>().AsNoTracking().Where(c => c.Tenant == t);
                if (period is { } p)
                {
                    var krs = db.Set<ObjectiveRow>().Where(o => o.Tenant == t && o.PeriodId == p.Value)
                        .Join(db.Set<KeyResultRow>().Where(k => k.Tenant == t), o => o.Id, k => k.ObjectiveId, (o, k) => k.Id);
                    rows = rows.Where(c => krs.Contains(c.KrId));
                }

                return rows.OrderBy(c => c.Id);
            },
            ToCheckIn,
            cancellationToken);
        return StoreRules.ComposeExportAsync(this, tenant, period, checkIns, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OkrEventLease>> LeaseAsync(string owner, Instant now, Duration duration, int maxTenants, IReadOnlyCollection<TenantId>? tenants = null, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckLease(owner, duration, maxTenants, tenants);
        var token = Guid.NewGuid();
        var until = now + duration;
        var n = Nanos(now);
        var u = Nanos(until);
        var only = tenants?.Select(t => t.Value).ToList();
        return WriteAsync<IReadOnlyList<OkrEventLease>>(async (db, ct) =>
        {
            var due = db.Set<EventStreamRow>().Where(s => s.LastSequence > s.DeliveredThrough && s.NextAttemptAt <= n && (s.LeaseToken == null || s.LeaseUntil <= n));
            if (only is not null)
            {
                due = due.Where(s => only.Contains(s.Tenant));
            }

            var candidates = await due.OrderBy(s => s.NextAttemptAt).ThenBy(s => s.Tenant).Select(s => s.Tenant).Take(maxTenants).ToListAsync(ct).ConfigureAwait(false);
            var leases = new List<OkrEventLease>();
            foreach (var tenant in candidates)
            {
                // Conditional on the stream being due and free still: a dispatcher that got there first wins it.
                var taken = await db.Set<EventStreamRow>()
                    .Where(s => s.Tenant == tenant && s.LastSequence > s.DeliveredThrough && s.NextAttemptAt <= n && (s.LeaseToken == null || s.LeaseUntil <= n))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseToken, token).SetProperty(x => x.LeaseOwner, owner).SetProperty(x => x.LeaseUntil, u), ct).ConfigureAwait(false);
                if (taken == 1)
                {
                    var row = await db.Set<EventStreamRow>().AsNoTracking().FirstAsync(s => s.Tenant == tenant, ct).ConfigureAwait(false);
                    leases.Add(new OkrEventLease(new TenantId(tenant), token, owner, row.DeliveredThrough, row.LastSequence, row.Attempts, until));
                }
            }

            return leases;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OkrEvent>> ReadEventsAsync(TenantId tenant, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        StoreRules.CheckEventPage(afterSequence, limit);
        return ReadAsync<IReadOnlyList<OkrEvent>>(async (db, token) =>
        {
            var rows = await db.Set<EventRow>().AsNoTracking().Where(e => e.Tenant == tenant.Value && e.Sequence > afterSequence).OrderBy(e => e.Sequence).Take(limit).ToListAsync(token).ConfigureAwait(false);
            return [.. rows.Select(e => new OkrEvent(e.Id, tenant, e.Sequence, e.Type, OkrStoreFormat.FromUnixNanoseconds(e.OccurredAt), e.ActorKind is { } k ? new OwnerRef((OwnerKind)k, e.ActorId!) : null, e.Data))];
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> AcknowledgeAsync(OkrEventLease lease, long throughSequence, Instant leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var until = Nanos(leaseUntil);
        return LeasedAsync(lease, (rows, ct) => rows.ExecuteUpdateAsync(
            s => s.SetProperty(x => x.DeliveredThrough, x => throughSequence <= x.DeliveredThrough ? x.DeliveredThrough : throughSequence >= x.LastSequence ? x.LastSequence : throughSequence)
                .SetProperty(x => x.Attempts, 0)
                .SetProperty(x => x.LastError, (string?)null)
                .SetProperty(x => x.LeaseUntil, until),
            ct), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> ReleaseAsync(OkrEventLease lease, OkrEventFailure? failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (failure is null)
        {
            return LeasedAsync(lease, (rows, ct) => rows.ExecuteUpdateAsync(
                s => s.SetProperty(x => x.LeaseToken, (Guid?)null).SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (long?)null),
                ct), cancellationToken);
        }

        var retry = Nanos(failure.RetryAt);
        var error = failure.Error;
        return LeasedAsync(lease, (rows, ct) => rows.ExecuteUpdateAsync(
            s => s.SetProperty(x => x.LeaseToken, (Guid?)null).SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (long?)null)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1).SetProperty(x => x.NextAttemptAt, retry).SetProperty(x => x.LastError, error),
            ct), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> PruneAsync(Instant occurredBefore, CancellationToken cancellationToken = default)
    {
        var before = Nanos(occurredBefore);
        return WriteAsync<long>(
            async (db, token) => await db.Set<EventRow>()
                .Where(e => e.OccurredAt < before && db.Set<EventStreamRow>().Any(s => s.Tenant == e.Tenant && e.Sequence <= s.DeliveredThrough))
                .ExecuteDeleteAsync(token).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<OkrEventStreamState?> GetStreamStateAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        return ReadAsync(async (db, token) =>
        {
            // A row without events yet (made by the tenant's first append, which locks it) is no stream yet.
            var s = await db.Set<EventStreamRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Tenant == tenant.Value && x.LastSequence > 0, token).ConfigureAwait(false);
            return s is null ? null : new OkrEventStreamState(
                tenant,
                s.LastSequence,
                s.DeliveredThrough,
                s.Attempts,
                OkrStoreFormat.FromUnixNanoseconds(s.NextAttemptAt),
                s.LastError,
                s.LeaseToken is null ? null : s.LeaseOwner,
                s.LeaseToken is null || s.LeaseUntil is null ? null : OkrStoreFormat.FromUnixNanoseconds(s.LeaseUntil.Value));
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Healthy when the database answers and its model's OKR tables can be read. The host's migrations own the schema, so
    /// no schema version is reported.
    /// </remarks>
    public async ValueTask<OkrStoreHealthReport> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadAsync(async (db, token) =>
            {
                await db.Set<PeriodRow>().AsNoTracking().Select(p => p.Id).FirstOrDefaultAsync(token).ConfigureAwait(false);
                await db.Set<EventStreamRow>().AsNoTracking().Select(p => p.Tenant).FirstOrDefaultAsync(token).ConfigureAwait(false);
                return new OkrStoreHealthReport(true, $"The OKR tables of {typeof(TContext).Name} answer ({db.Database.ProviderName}).");
            }, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A health check reports every failure instead of throwing it.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return new OkrStoreHealthReport(false, $"The OKR tables of {typeof(TContext).Name} cannot be read: {ex.Message}", exception: ex);
        }
    }

    private ValueTask<bool> LeasedAsync(OkrEventLease lease, Func<IQueryable<EventStreamRow>, CancellationToken, Task<int>> update, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async (db, token) => await update(db.Set<EventStreamRow>().Where(s => s.Tenant == lease.Tenant.Value && s.LeaseToken == lease.Token), token).ConfigureAwait(false) == 1, cancellationToken);

    private static async Task<PeriodContent> CountAsync(DbContext db, Guid tenant, Guid period, CancellationToken token)
    {
        var objectives = await db.Set<ObjectiveRow>().LongCountAsync(o => o.Tenant == tenant && o.PeriodId == period, token).ConfigureAwait(false);
        var krs = db.Set<ObjectiveRow>().Where(o => o.Tenant == tenant && o.PeriodId == period)
            .Join(db.Set<KeyResultRow>().Where(k => k.Tenant == tenant), o => o.Id, k => k.ObjectiveId, (o, k) => k.Id);
        var checkIns = await db.Set<CheckInRow>().LongCountAsync(c => c.Tenant == tenant && krs.Contains(c.KrId), token).ConfigureAwait(false);
        return new PeriodContent(objectives, checkIns);
    }

    /// <summary>
    /// The objectives of <paramref name="periods"/> under <paramref name="starts"/> through the alignment index, the
    /// starts left out: one query per level of the tree, the children in the periods of what the last level found.
    /// </summary>
    private static async Task<List<Guid>> WalkDownAsync(DbContext db, Guid tenant, Guid[] periods, List<Guid> starts, CancellationToken token)
    {
        var seen = starts.ToHashSet();
        var frontier = starts;
        var found = new List<Guid>();
        while (frontier.Count > 0)
        {
            var next = new List<Guid>();
            foreach (var chunk in frontier.Chunk(Chunk))
            {
                next.AddRange(await db.Set<AlignmentRow>().AsNoTracking()
                    .Where(a => a.Tenant == tenant && chunk.Contains(a.ParentId))
                    .Join(db.Set<ObjectiveRow>().Where(o => o.Tenant == tenant && periods.Contains(o.PeriodId)), a => a.ChildId, o => o.Id, (a, o) => o.Id)
                    .ToListAsync(token).ConfigureAwait(false));
            }

            frontier = [.. next.Where(seen.Add)];
            found.AddRange(frontier);
        }

        return found;
    }

    private static async Task<List<Objective>> LoadObjectivesAsync(DbContext db, Guid tenant, IReadOnlyCollection<Guid> ids, CancellationToken token)
    {
        var found = new List<Objective>(ids.Count);
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var bodies = await db.Set<ObjectiveRow>().AsNoTracking().Where(o => o.Tenant == tenant && chunk.Contains(o.Id)).OrderBy(o => o.Id).Select(o => o.Body).ToListAsync(token).ConfigureAwait(false);
            found.AddRange(bodies.Select(OkrJson.DeserializeObjective));
        }

        return found;
    }

    private static async Task<Dictionary<KeyResultId, IReadOnlyList<CheckIn>>> HistoriesAsync(DbContext db, Guid tenant, IEnumerable<Guid> keyResults, CancellationToken token)
    {
        var result = new Dictionary<KeyResultId, IReadOnlyList<CheckIn>>();
        foreach (var chunk in keyResults.Distinct().Chunk(Chunk))
        {
            var rows = await db.Set<CheckInRow>().AsNoTracking().Where(c => c.Tenant == tenant && chunk.Contains(c.KrId))
                .OrderBy(c => c.KrId).ThenBy(c => c.EffectiveAt).ThenBy(c => c.RecordedAt).ThenBy(c => c.Id)
                .ToListAsync(token).ConfigureAwait(false);
            foreach (var group in rows.GroupBy(r => r.KrId))
            {
                result[new KeyResultId(group.Key)] = [.. group.Select(ToCheckIn)];
            }
        }

        return result;
    }

    /// <summary>The check-in in force per key result by the rule of <see cref="CheckInHistory.AsOf"/>, from each history.</summary>
    private static async Task<Dictionary<KeyResultId, CheckIn>> ValuesAsOfAsync(DbContext db, Guid tenant, IEnumerable<Guid> keyResults, Instant effectiveAt, Instant? knownAt, CancellationToken token)
    {
        var result = new Dictionary<KeyResultId, CheckIn>();
        foreach (var (kr, history) in await HistoriesAsync(db, tenant, keyResults, token).ConfigureAwait(false))
        {
            if (CheckInHistory.AsOf(history, effectiveAt, knownAt) is { } value)
            {
                result[kr] = value;
            }
        }

        return result;
    }

    /// <summary>Runs a read in a context: the store's own, or a new one disposed after.</summary>
    private async ValueTask<T> ReadAsync<T>(Func<DbContext, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_context is not null)
        {
            RequireModel(_context);
            return await read(_context, cancellationToken).ConfigureAwait(false);
        }

        var db = await _factory!.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            RequireModel(db);
            return await read(db, cancellationToken).ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<T> ListAsync<TRow, T>(Func<DbContext, IQueryable<TRow>> query, Func<TRow, T> map, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Read whole, then handed out: a shared context is free again before the caller's next call.
        var rows = await ReadAsync((db, token) => query(db).ToListAsync(token), cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            yield return map(row);
        }
    }

    private async IAsyncEnumerable<T> HistoryAsync<T>(Func<DbContext, CancellationToken, Task<List<T>>> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in await ReadAsync(read, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>
    /// Runs a write in one transaction: inside the host's (in a savepoint of it) when the context has one open, else in
    /// one of its own, run again from its start when the database reports a lost race.
    /// </summary>
    private async ValueTask<T> WriteAsync<T>(Func<DbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_context is not null)
        {
            RequireModel(_context);
            if (_context.ChangeTracker.HasChanges())
            {
                throw new InvalidOperationException($"The {typeof(TContext).Name} has unsaved changes. Save them (SaveChanges) before an OKR write, which would otherwise write them too; inside a transaction both still commit or roll back together.");
            }

            if (_context.Database.CurrentTransaction is { } hostTransaction)
            {
                return await InHostTransactionAsync(_context, hostTransaction, write, cancellationToken).ConfigureAwait(false);
            }

            return await OwnTransactionAsync(_context, write, cancellationToken).ConfigureAwait(false);
        }

        var db = await _factory!.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            RequireModel(db);
            return await OwnTransactionAsync(db, write, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> InHostTransactionAsync<T>(DbContext db, IDbContextTransaction transaction, Func<DbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        const string Savepoint = "okr_unit";
        await transaction.CreateSavepointAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await write(db, cancellationToken).ConfigureAwait(false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await transaction.ReleaseSavepointAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        catch
        {
            // The host's transaction stays usable: only the OKR write is undone. A race the database reports inside it
            // (a serialization failure, a key inserted at the same moment) reaches the host, whose transaction it is to retry.
            await transaction.RollbackToSavepointAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            Detach(db);
        }
    }

    private static async Task<T> OwnTransactionAsync<T>(DbContext db, Func<DbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    var result = await write(db, cancellationToken).ConfigureAwait(false);
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                    return result;
                }
                catch (Exception ex) when (attempt < Attempts && LostRace(ex))
                {
                    await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    Detach(db);
                }
            }
        }
    }

    /// <summary>A serialization failure, a deadlock, or a key another transaction inserted first (SQLSTATE classes every provider reports).</summary>
    private static bool LostRace(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is DbException { SqlState: "40001" or "40P01" or "23505" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Leaves nothing of the store's tracked in the context: a shared context stays the host's.</summary>
    private static void Detach(DbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is IOkrRow).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    private static void RequireModel(DbContext db)
    {
        if (db.Model.FindAnnotation(OkrModelBuilderExtensions.Marker) is null)
        {
            throw new InvalidOperationException($"The model of {db.GetType().Name} has no OKR tables: call modelBuilder.AddOkr() in its OnModelCreating.");
        }
    }

    private static long Nanos(Instant instant) => OkrStoreFormat.ToUnixNanoseconds(instant);

    private static OkrPeriod ToPeriod(IPeriodColumns r) => new(
        new PeriodId(r.Id),
        r.Name,
        new DateInterval(LocalDate.FromDateOnly(r.StartDate), LocalDate.FromDateOnly(r.EndDate)),
        (PeriodState)r.State,
        r.ReopenReason,
        r.UpdatedByKind is { } k ? new OwnerRef((OwnerKind)k, r.UpdatedById!) : null,
        r.UpdatedAt is { } at ? OkrStoreFormat.FromUnixNanoseconds(at) : null,
        r.Version);

    private static CheckIn ToCheckIn(CheckInRow r) => new(
        new CheckInId(r.Id),
        new KeyResultId(r.KrId),
        r.Value,
        new OwnerRef((OwnerKind)r.AuthorKind, r.AuthorId),
        OkrStoreFormat.FromUnixNanoseconds(r.EffectiveAt),
        OkrStoreFormat.FromUnixNanoseconds(r.RecordedAt),
        r.Confidence is { } c ? new Confidence(c) : null,
        r.Note,
        r.Corrects is { } x ? new CheckInId(x) : null);

    private static CheckInRow ToRow(Guid tenant, CheckIn c) => new()
    {
        Tenant = tenant,
        Id = c.Id.Value,
        KrId = c.KeyResultId.Value,
        Value = c.Value,
        AuthorKind = (short)c.Author.Kind,
        AuthorId = c.Author.ExternalId,
        EffectiveAt = Nanos(c.EffectiveAt),
        RecordedAt = Nanos(c.RecordedAt),
        Confidence = c.Confidence?.Value,
        Note = c.Note,
        Corrects = c.Corrects?.Value,
    };

    /// <summary>The store's reads and writes inside one transaction, for the shared commit algorithm.</summary>
    private sealed class Target(DbContext db, Guid tenant) : IOkrCommitTarget
    {
        private bool _locked;

        public async ValueTask<IReadOnlyDictionary<PeriodId, long>> PeriodVersionsAsync(IReadOnlyList<PeriodId> ids, bool exclusive, CancellationToken cancellationToken)
        {
            var keys = ids.Select(i => i.Value).ToList();

            // The lock: an update that changes nothing, held by every relational database until commit, one row at a time
            // in id order (the order every writer takes them in, so two writers never wait for each other in a circle).
            // Then the versions, read after it, as committed by whoever held the rows before.
            foreach (var key in keys)
            {
                await db.Set<PeriodRow>().Where(p => p.Tenant == tenant && p.Id == key).ExecuteUpdateAsync(s => s.SetProperty(p => p.Version, p => p.Version), cancellationToken).ConfigureAwait(false);
            }

            var rows = await db.Set<PeriodRow>().AsNoTracking().Where(p => p.Tenant == tenant && keys.Contains(p.Id)).Select(p => new { p.Id, p.Version }).ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.ToDictionary(r => new PeriodId(r.Id), r => r.Version);
        }

        public async ValueTask<IReadOnlyDictionary<ObjectiveId, long>> ObjectiveVersionsAsync(IReadOnlyList<ObjectiveId> ids, bool exclusive, CancellationToken cancellationToken)
        {
            var result = new Dictionary<ObjectiveId, long>();
            foreach (var chunk in ids.Select(i => i.Value).Chunk(Chunk))
            {
                // Locked one at a time in id order, as the periods are.
                foreach (var key in chunk)
                {
                    await db.Set<ObjectiveRow>().Where(o => o.Tenant == tenant && o.Id == key).ExecuteUpdateAsync(s => s.SetProperty(o => o.Version, o => o.Version), cancellationToken).ConfigureAwait(false);
                }

                var rows = await db.Set<ObjectiveRow>().AsNoTracking().Where(o => o.Tenant == tenant && chunk.Contains(o.Id)).Select(o => new { o.Id, o.Version }).ToListAsync(cancellationToken).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    result[new ObjectiveId(row.Id)] = row.Version;
                }
            }

            return result;
        }

        public async ValueTask<long> CountPeriodsAsync(CancellationToken cancellationToken) =>
            await db.Set<PeriodRow>().LongCountAsync(p => p.Tenant == tenant, cancellationToken).ConfigureAwait(false);

        public async ValueTask<PeriodContent> CountAsync(PeriodId period, CancellationToken cancellationToken) =>
            await EntityFrameworkCoreOkrStore<TContext>.CountAsync(db, tenant, period.Value, cancellationToken).ConfigureAwait(false);

        public async ValueTask<long> CountCheckInsAsync(KeyResultId keyResult, CancellationToken cancellationToken)
        {
            // Every append takes the tenant's lock before it inserts (AppendAsync): held, no check-in can land until
            // this unit ends, and the count sees each one committed before.
            await LockTenantAsync(cancellationToken).ConfigureAwait(false);
            var kr = keyResult.Value;
            return await db.Set<CheckInRow>().LongCountAsync(c => c.Tenant == tenant && c.KrId == kr, cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask WritePeriodAsync(OkrPeriod period, bool exists, CancellationToken cancellationToken)
        {
            var id = period.Id.Value;
            var row = exists ? await db.Set<PeriodRow>().FirstOrDefaultAsync(p => p.Tenant == tenant && p.Id == id, cancellationToken).ConfigureAwait(false) : null;
            if (row is not null)
            {
                // The audit trail keeps the version this save replaces, in the same transaction.
                var seq = await db.Set<PeriodHistoryRow>().Where(h => h.Tenant == tenant && h.Id == id).Select(h => (long?)h.Seq).MaxAsync(cancellationToken).ConfigureAwait(false) ?? 0;
                db.Add(new PeriodHistoryRow
                {
                    Tenant = tenant, Id = id, Seq = seq + 1, Name = row.Name, StartDate = row.StartDate, EndDate = row.EndDate, State = row.State,
                    ReopenReason = row.ReopenReason, UpdatedByKind = row.UpdatedByKind, UpdatedById = row.UpdatedById, UpdatedAt = row.UpdatedAt, Version = row.Version,
                });
            }
            else
            {
                row = new PeriodRow { Tenant = tenant, Id = id };
                db.Add(row);
            }

            row.Name = period.Name;
            row.StartDate = period.Dates.Start.ToDateOnly();
            row.EndDate = period.Dates.End.ToDateOnly();
            row.State = (short)period.State;
            row.ReopenReason = period.ReopenReason;
            row.UpdatedByKind = period.UpdatedBy is { } by ? (short)by.Kind : null;
            row.UpdatedById = period.UpdatedBy?.ExternalId;
            row.UpdatedAt = period.UpdatedAt is { } at ? Nanos(at) : null;
            row.Version = period.Version;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask WriteObjectivesAsync(IReadOnlyList<Objective> objectives, IReadOnlyList<bool> exist, CancellationToken cancellationToken)
        {
            var ids = objectives.Select(o => o.Id.Value).Distinct().ToList();
            var asked = objectives.SelectMany(o => o.KeyResults).Select(k => k.Id.Value).Distinct().ToList();

            // Who holds each key result now, and what each written objective holds: then the writes in order, as the
            // other stores make them one after another (a key result held by another objective is refused).
            var holders = new Dictionary<Guid, Guid>();
            foreach (var chunk in asked.Chunk(Chunk))
            {
                foreach (var k in await db.Set<KeyResultRow>().AsNoTracking().Where(k => k.Tenant == tenant && chunk.Contains(k.Id)).ToListAsync(cancellationToken).ConfigureAwait(false))
                {
                    holders[k.Id] = k.ObjectiveId;
                }
            }

            foreach (var chunk in ids.Chunk(Chunk))
            {
                foreach (var k in await db.Set<KeyResultRow>().AsNoTracking().Where(k => k.Tenant == tenant && chunk.Contains(k.ObjectiveId)).ToListAsync(cancellationToken).ConfigureAwait(false))
                {
                    holders[k.Id] = k.ObjectiveId;
                }
            }

            foreach (var objective in objectives)
            {
                var id = objective.Id.Value;
                foreach (var kr in objective.KeyResults)
                {
                    if (holders.TryGetValue(kr.Id.Value, out var holder) && holder != id)
                    {
                        throw StoreRules.KeyResultTaken(kr.Id, new ObjectiveId(holder));
                    }
                }

                foreach (var held in holders.Where(h => h.Value == id).Select(h => h.Key).ToList())
                {
                    holders.Remove(held);
                }

                foreach (var kr in objective.KeyResults)
                {
                    holders[kr.Id.Value] = id;
                }
            }

            var stored = new Dictionary<Guid, ObjectiveRow>();
            var replaced = objectives.Where((_, i) => exist[i]).Select(o => o.Id.Value).Distinct().ToList();
            var seqs = new Dictionary<Guid, long>();
            foreach (var chunk in replaced.Chunk(Chunk))
            {
                foreach (var row in await db.Set<ObjectiveRow>().Where(o => o.Tenant == tenant && chunk.Contains(o.Id)).ToListAsync(cancellationToken).ConfigureAwait(false))
                {
                    stored[row.Id] = row;
                }

                foreach (var s in await db.Set<ObjectiveHistoryRow>().Where(h => h.Tenant == tenant && chunk.Contains(h.Id)).GroupBy(h => h.Id).Select(g => new { g.Key, Max = g.Max(h => h.Seq) }).ToListAsync(cancellationToken).ConfigureAwait(false))
                {
                    seqs[s.Key] = s.Max;
                }

                await db.Set<KeyResultRow>().Where(k => k.Tenant == tenant && chunk.Contains(k.ObjectiveId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                await db.Set<AlignmentRow>().Where(a => a.Tenant == tenant && chunk.Contains(a.ChildId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            }

            // Replaced rows are updated through change tracking; every new row (objectives, the audit trail, the key
            // result and alignment indexes) is inserted without it, in batches.
            var freshObjectives = new List<ObjectiveRow>();
            var history = new List<ObjectiveHistoryRow>();
            foreach (var objective in objectives)
            {
                var id = objective.Id.Value;
                if (stored.TryGetValue(id, out var row))
                {
                    // The audit trail keeps the version this write replaces, in the same transaction.
                    var seq = seqs.GetValueOrDefault(id) + 1;
                    seqs[id] = seq;
                    history.Add(new ObjectiveHistoryRow { Tenant = tenant, Id = id, Seq = seq, Version = row.Version, Body = row.Body });
                }
                else
                {
                    row = new ObjectiveRow { Tenant = tenant, Id = id };
                    freshObjectives.Add(row);
                    stored[id] = row;
                }

                row.PeriodId = objective.PeriodId.Value;
                row.OwnerKind = (short)objective.Owner.Kind;
                row.OwnerId = objective.Owner.ExternalId;
                row.State = (short)objective.State;
                row.Version = objective.Version;
                row.Body = OkrJson.SerializeObjective(objective);
            }

            var written = ids.ToHashSet();
            var keyResults = holders.Where(h => written.Contains(h.Value)).Select(h => new KeyResultRow { Tenant = tenant, Id = h.Key, ObjectiveId = h.Value }).OrderBy(k => k.Id).ToList();
            var alignments = objectives.GroupBy(o => o.Id).Select(g => g.Last())
                .SelectMany(o => o.Alignments.Select(a => a.ParentObjectiveId.Value).Distinct().Select(parent => new AlignmentRow { Tenant = tenant, ParentId = parent, ChildId = o.Id.Value }))
                .ToList();
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await BulkInsert.InsertAsync(db, freshObjectives, cancellationToken).ConfigureAwait(false);
            await BulkInsert.InsertAsync(db, history, cancellationToken).ConfigureAwait(false);
            await BulkInsert.InsertAsync(db, keyResults, cancellationToken).ConfigureAwait(false);
            await BulkInsert.InsertAsync(db, alignments, cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask<int> AppendAsync(IReadOnlyList<CheckIn> checkIns, ISet<CheckInId> skipped, CancellationToken cancellationToken)
        {
            // Repeats inside the batch must carry the same payload; the first of each id is the one appended.
            var batch = new Dictionary<Guid, CheckIn>();
            foreach (var c in checkIns)
            {
                ArgumentNullException.ThrowIfNull(c, nameof(checkIns));
                if (batch.TryGetValue(c.Id.Value, out var first))
                {
                    StoreRules.CheckSameCheckIn(first, c);
                }
                else
                {
                    batch[c.Id.Value] = c;
                }
            }

            // Stored before this unit: the same payload is a retry (skipped), another one an error.
            foreach (var chunk in batch.Keys.Chunk(Chunk))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var row in await db.Set<CheckInRow>().AsNoTracking().Where(c => c.Tenant == tenant && chunk.Contains(c.Id)).ToListAsync(cancellationToken).ConfigureAwait(false))
                {
                    StoreRules.CheckSameCheckIn(ToCheckIn(row), batch[row.Id]);
                    skipped.Add(new CheckInId(row.Id));
                    batch.Remove(row.Id);
                }
            }

            if (batch.Count == 0)
            {
                return 0;
            }

            // One append per tenant at a time: the tenant's stream row is locked first (after the unit's periods and
            // objectives, before anything else, the order every unit takes), so the check-ins and current values below
            // are written by one writer, which sees every append committed before it.
            await LockTenantAsync(cancellationToken).ConfigureAwait(false);

            // In id order, as every writer inserts them: two batches sharing check-ins wait for each other, never in a circle.
            await BulkInsert.InsertAsync(db, batch.Values.OrderBy(c => c.Id.Value).Select(c => ToRow(tenant, c)), cancellationToken).ConfigureAwait(false);
            await RefreshValuesAsync([.. batch.Values], cancellationToken).ConfigureAwait(false);
            return batch.Count;
        }

        /// <summary>
        /// Keeps the current value of the key results that gained check-ins, in the append's transaction (under the
        /// tenant's lock): each moved forward by the new check-ins; a key result whose value in force was corrected is
        /// worked out again from its history.
        /// </summary>
        private async Task RefreshValuesAsync(List<CheckIn> added, CancellationToken cancellationToken)
        {
            var byKeyResult = added.GroupBy(c => c.KeyResultId.Value).ToDictionary(g => g.Key, g => g.ToList());
            var corrected = added.Where(c => c.Corrects is not null).Select(c => c.Corrects!.Value.Value).ToHashSet();
            var fresh = new List<KeyResultValueRow>();
            foreach (var chunk in byKeyResult.Keys.Order().Chunk(BigChunk))
            {
                var rows = await db.Set<KeyResultValueRow>().Where(v => v.Tenant == tenant && EF.Parameter(chunk).Contains(v.KrId)).ToDictionaryAsync(v => v.KrId, cancellationToken).ConfigureAwait(false);
                var walk = new List<Guid>();
                foreach (var kr in chunk)
                {
                    if (!rows.TryGetValue(kr, out var row))
                    {
                        row = new KeyResultValueRow { Tenant = tenant, KrId = kr };
                        fresh.Add(row);
                        rows[kr] = row;
                    }

                    var news = byKeyResult[kr];
                    row.LastRecordedAt = Math.Max(row.LastRecordedAt, news.Max(c => Nanos(c.RecordedAt)));
                    var current = row.InForce();
                    if (current is not null && corrected.Contains(current.Id.Value))
                    {
                        walk.Add(kr);
                        continue;
                    }

                    foreach (var candidate in news.Where(n => !corrected.Contains(n.Id.Value)))
                    {
                        if (current is null || Later(candidate, current))
                        {
                            current = candidate;
                        }
                    }

                    row.Hold(current);
                }

                if (walk.Count > 0)
                {
                    var histories = await HistoriesAsync(db, tenant, walk, cancellationToken).ConfigureAwait(false);
                    foreach (var kr in walk)
                    {
                        rows[kr].Hold(InForce(histories.GetValueOrDefault(new KeyResultId(kr)) ?? []));
                    }
                }
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await BulkInsert.InsertAsync(db, fresh, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The latest check-in no other one corrects: by effective instant, then recorded instant, then id.</summary>
        private static CheckIn? InForce(IReadOnlyList<CheckIn> history)
        {
            var corrected = history.Where(c => c.Corrects is not null).Select(c => c.Corrects!.Value).ToHashSet();
            CheckIn? best = null;
            foreach (var c in history.Where(c => !corrected.Contains(c.Id)))
            {
                if (best is null || Later(c, best))
                {
                    best = c;
                }
            }

            return best;
        }

        private static bool Later(CheckIn a, CheckIn b) =>
            a.EffectiveAt != b.EffectiveAt ? a.EffectiveAt > b.EffectiveAt
            : a.RecordedAt != b.RecordedAt ? a.RecordedAt > b.RecordedAt
            : a.Id.Value.CompareTo(b.Id.Value) > 0;

        /// <summary>Locks the tenant's stream row (an update that changes nothing), creating it first when the tenant has none.</summary>
        private async Task LockTenantAsync(CancellationToken cancellationToken)
        {
            if (_locked)
            {
                return;
            }

            var held = await db.Set<EventStreamRow>().Where(s => s.Tenant == tenant).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSequence, x => x.LastSequence), cancellationToken).ConfigureAwait(false);
            if (held == 0)
            {
                // A tenant's first write: the row's insert holds it (another writer inserting it at the same moment loses
                // the key and runs its transaction again).
                db.Add(new EventStreamRow { Tenant = tenant, LastSequence = 0, NextAttemptAt = Nanos(OkrStoreFormat.MinInstant) });
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                Detach(db);
            }

            _locked = true;
        }

        public async ValueTask<long> ReserveSequenceAsync(int count, CancellationToken cancellationToken)
        {
            await LockTenantAsync(cancellationToken).ConfigureAwait(false);
            await db.Set<EventStreamRow>().Where(s => s.Tenant == tenant).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSequence, x => x.LastSequence + count), cancellationToken).ConfigureAwait(false);
            var last = await db.Set<EventStreamRow>().AsNoTracking().Where(s => s.Tenant == tenant).Select(s => s.LastSequence).FirstAsync(cancellationToken).ConfigureAwait(false);
            return last - count + 1;
        }

        public async ValueTask WriteEventsAsync(IReadOnlyList<OkrEvent> events, CancellationToken cancellationToken)
        {
            await BulkInsert.InsertAsync(db, events.Select(e => new EventRow
            {
                Tenant = tenant,
                Sequence = e.Sequence,
                Id = e.Id,
                Type = e.Type,
                OccurredAt = Nanos(e.OccurredAt),
                ActorKind = e.Actor is { } a ? (short)a.Kind : null,
                ActorId = e.Actor?.ExternalId,
                Data = e.Data,
            }), cancellationToken).ConfigureAwait(false);
        }
    }
}
