using NodaTime;

namespace Okr.Core.Events;

/// <summary>
/// The outbox side of a store: the events its commits wrote, and the per-tenant delivery state a dispatcher works
/// through. Every store of this library implements it (<c>docs/events.md</c>); <see cref="OkrEventDispatcher"/> is the
/// usual caller, and a host without a hosted service can call it directly (lease, read, acknowledge).
/// </summary>
/// <remarks>
/// <para>Each tenant has one stream: its events in <see cref="OkrEvent.Sequence"/> order and a cursor (the last
/// sequence delivered). A lease gives one caller a tenant's stream until it expires, so with several dispatchers
/// (application instances on one database) each event is handled by one at a time. Acknowledging moves the cursor
/// only while the lease is still held.</para>
/// <para>Times are the caller's (an injected clock), so leases and retries can be tested with a fake clock.</para>
/// </remarks>
public interface IOkrEventOutbox
{
    /// <summary>
    /// Leases up to <paramref name="maxTenants"/> tenant streams that have undelivered events, are due
    /// (<see cref="OkrEventStreamState.NextAttemptAt"/> at or before <paramref name="now"/>) and are not leased by anyone
    /// else (or their lease has expired). Streams that another caller is locking are skipped, not waited for.
    /// </summary>
    /// <param name="owner">Who leases (shown in <see cref="OkrEventStreamState.LeasedBy"/>), for example a host name.</param>
    /// <param name="now">The current time.</param>
    /// <param name="duration">How long the lease lasts unless renewed by <see cref="AcknowledgeAsync"/>.</param>
    /// <param name="maxTenants">The most streams to lease, at least 1.</param>
    /// <param name="tenants">Only these tenants' streams (to split tenants between dispatchers, or to deliver one tenant's events); every tenant's when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The leases, the stream that waited longest first.</returns>
    ValueTask<IReadOnlyList<OkrEventLease>> LeaseAsync(string owner, Instant now, Duration duration, int maxTenants, IReadOnlyCollection<TenantId>? tenants = null, CancellationToken cancellationToken = default);

    /// <summary>Reads a tenant's events after a sequence number, in sequence order (delivered ones too, until pruned).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="afterSequence">Only events with a greater sequence (0: from the first).</param>
    /// <param name="limit">The most events to return, at least 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events.</returns>
    ValueTask<IReadOnlyList<OkrEvent>> ReadEventsAsync(TenantId tenant, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the lease holder delivered the tenant's events through <paramref name="throughSequence"/>, clears
    /// the stream's failures and renews the lease until <paramref name="leaseUntil"/>.
    /// </summary>
    /// <param name="lease">The lease.</param>
    /// <param name="throughSequence">The last sequence delivered.</param>
    /// <param name="leaseUntil">The lease's new expiry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when the lease was lost (it expired and someone else leased the stream): nothing was recorded.</returns>
    ValueTask<bool> AcknowledgeAsync(OkrEventLease lease, long throughSequence, Instant leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Ends a lease; with a failure, the stream is not due again until <see cref="OkrEventFailure.RetryAt"/>.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="failure">Why delivery stopped, or null when it simply ends.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when the lease was already lost.</returns>
    ValueTask<bool> ReleaseAsync(OkrEventLease lease, OkrEventFailure? failure, CancellationToken cancellationToken = default);

    /// <summary>Deletes delivered events that occurred before <paramref name="occurredBefore"/>; undelivered events are kept.</summary>
    /// <param name="occurredBefore">The cut-off.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many events were deleted.</returns>
    ValueTask<long> PruneAsync(Instant occurredBefore, CancellationToken cancellationToken = default);

    /// <summary>A tenant's stream: how far it is written and delivered, its failures and its lease.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stream, or null when the tenant has no events yet.</returns>
    ValueTask<OkrEventStreamState?> GetStreamStateAsync(TenantId tenant, CancellationToken cancellationToken = default);
}
