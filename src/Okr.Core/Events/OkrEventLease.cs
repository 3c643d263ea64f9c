using NodaTime;

namespace Okr.Core.Events;

/// <summary>A lease on a tenant's event stream (see <see cref="IOkrEventOutbox.LeaseAsync"/>).</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Token">The lease's identity; acknowledgements must carry it.</param>
/// <param name="Owner">Who holds it.</param>
/// <param name="DeliveredThrough">The last sequence delivered when the lease was taken: deliver what follows.</param>
/// <param name="LastSequence">The last sequence written when the lease was taken.</param>
/// <param name="Attempts">Failed deliveries since the last success.</param>
/// <param name="Until">When the lease expires unless renewed.</param>
public sealed record OkrEventLease(TenantId Tenant, Guid Token, string Owner, long DeliveredThrough, long LastSequence, int Attempts, Instant Until);
