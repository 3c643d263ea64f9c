using NodaTime;

namespace Okr.Core.Events;

/// <summary>The delivery state of one tenant's events.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="LastSequence">The last sequence written.</param>
/// <param name="DeliveredThrough">The last sequence delivered.</param>
/// <param name="Attempts">Failed deliveries since the last success.</param>
/// <param name="NextAttemptAt">When the stream is due (after a failure, its retry time).</param>
/// <param name="LastError">The last failure, until a delivery succeeds.</param>
/// <param name="LeasedBy">Who holds the lease, if anyone.</param>
/// <param name="LeasedUntil">When that lease expires.</param>
public sealed record OkrEventStreamState(TenantId Tenant, long LastSequence, long DeliveredThrough, int Attempts, Instant NextAttemptAt, string? LastError, string? LeasedBy, Instant? LeasedUntil);
