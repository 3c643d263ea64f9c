using NodaTime;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Serialization;
using Okr.Core.Storage;

namespace Okr.Storage.Specification;

/// <summary>
/// A store that hands every call to another: the base for decorators in tests (fault injection, pausing at a
/// commit, counting round trips) and in hosts (logging, caching). Override what the decorator changes. The outbox
/// calls (<see cref="IOkrEventOutbox"/>) go to the inner store too; they throw <see cref="NotSupportedException"/> when
/// it has no outbox.
/// </summary>
/// <param name="inner">The store calls go to.</param>
public abstract class DelegatingOkrStore(IOkrStore inner) : IOkrStore, IOkrEventOutbox
{
    /// <summary>The store calls go to.</summary>
    protected IOkrStore Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public virtual ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default) => Inner.CommitAsync(tenant, changes, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) => Inner.GetPeriodContentAsync(tenant, period, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) => Inner.GetPeriodAsync(tenant, id, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, CancellationToken cancellationToken = default) => Inner.ListPeriodsAsync(tenant, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyList<Objective>> GetObjectivesAsync(TenantId tenant, IReadOnlyCollection<ObjectiveId> ids, CancellationToken cancellationToken = default) => Inner.GetObjectivesAsync(tenant, ids, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) => Inner.GetObjectiveAsync(tenant, id, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) => Inner.ListPeriodHistoryAsync(tenant, id, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) => Inner.ListObjectiveHistoryAsync(tenant, id, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) => Inner.FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<Objective?> FindLastHolderAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) => Inner.FindLastHolderAsync(tenant, keyResult, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyDictionary<KeyResultId, Objective>> FindObjectivesByKeyResultsAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default) => Inner.FindObjectivesByKeyResultsAsync(tenant, keyResults, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default) => Inner.ListObjectivesAsync(tenant, query, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default) => Inner.GetCheckInAsync(tenant, id, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) => Inner.GetHistoryAsync(tenant, keyResult, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default) => Inner.GetValuesAsOfAsync(tenant, keyResults, effectiveAt, knownAt, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> GetHistoriesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default) => Inner.GetHistoriesAsync(tenant, keyResults, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<(KeyResultId KeyResult, Instant RecordedAt)> ListRecordedAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) => Inner.ListRecordedAsync(tenant, period, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<Objective> ListSubtreesAsync(TenantId tenant, PeriodId period, IReadOnlyCollection<ObjectiveId> roots, CancellationToken cancellationToken = default) => Inner.ListSubtreesAsync(tenant, period, roots, cancellationToken);

    // Explicit: forwarded as is, with nothing for a decorator to change (and no member added to the kit's public API).
    IAsyncEnumerable<Objective> IOkrStore.ListAlignedUnderAsync(TenantId tenant, IReadOnlyCollection<PeriodId> periods, IReadOnlyCollection<ObjectiveId> parents, CancellationToken cancellationToken) => Inner.ListAlignedUnderAsync(tenant, periods, parents, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>> GetCurrentValuesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant at, CancellationToken cancellationToken = default) => Inner.GetCurrentValuesAsync(tenant, keyResults, at, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) => Inner.ImportAsync(tenant, document, progress, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default) => Inner.ExportAsync(tenant, period, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyList<OkrEventLease>> LeaseAsync(string owner, Instant now, Duration duration, int maxTenants, IReadOnlyCollection<TenantId>? tenants = null, CancellationToken cancellationToken = default) => Outbox.LeaseAsync(owner, now, duration, maxTenants, tenants, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<IReadOnlyList<OkrEvent>> ReadEventsAsync(TenantId tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) => Outbox.ReadEventsAsync(tenant, afterSequence, limit, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<bool> AcknowledgeAsync(OkrEventLease lease, long throughSequence, Instant leaseUntil, CancellationToken cancellationToken = default) => Outbox.AcknowledgeAsync(lease, throughSequence, leaseUntil, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<bool> ReleaseAsync(OkrEventLease lease, OkrEventFailure? failure, CancellationToken cancellationToken = default) => Outbox.ReleaseAsync(lease, failure, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<long> PruneAsync(Instant occurredBefore, CancellationToken cancellationToken = default) => Outbox.PruneAsync(occurredBefore, cancellationToken);

    /// <inheritdoc/>
    public virtual ValueTask<OkrEventStreamState?> GetStreamStateAsync(TenantId tenant, CancellationToken cancellationToken = default) => Outbox.GetStreamStateAsync(tenant, cancellationToken);

    private IOkrEventOutbox Outbox => Inner as IOkrEventOutbox ?? throw new NotSupportedException($"The inner store ({Inner.GetType().Name}) has no event outbox.");
}
