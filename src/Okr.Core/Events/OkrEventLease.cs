using NodaTime;

namespace Okr.Core.Events;

/// <summary>A lease on a tenant's event stream (see <see cref="IOkrEventOutbox.LeaseAsync"/>).</summary>
public sealed class OkrEventLease
{
    /// <summary>Initializes a new instance of the <see cref="OkrEventLease"/> class.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="token">The lease's identity; acknowledgements must carry it.</param>
    /// <param name="owner">Who holds it.</param>
    /// <param name="deliveredThrough">The last sequence delivered when the lease was taken: deliver what follows.</param>
    /// <param name="lastSequence">The last sequence written when the lease was taken.</param>
    /// <param name="attempts">Failed deliveries since the last success.</param>
    /// <param name="until">When the lease expires unless renewed.</param>
    public OkrEventLease(TenantId tenant, Guid token, string owner, long deliveredThrough, long lastSequence, int attempts, Instant until)
    {
        Tenant = tenant;
        Token = token;
        Owner = owner;
        DeliveredThrough = deliveredThrough;
        LastSequence = lastSequence;
        Attempts = attempts;
        Until = until;
    }

    /// <summary>The tenant.</summary>
    public TenantId Tenant { get; }

    /// <summary>The lease's identity; acknowledgements must carry it.</summary>
    public Guid Token { get; }

    /// <summary>Who holds it.</summary>
    public string Owner { get; }

    /// <summary>The last sequence delivered when the lease was taken: deliver what follows.</summary>
    public long DeliveredThrough { get; }

    /// <summary>The last sequence written when the lease was taken.</summary>
    public long LastSequence { get; }

    /// <summary>Failed deliveries since the last success.</summary>
    public int Attempts { get; }

    /// <summary>When the lease expires unless renewed.</summary>
    public Instant Until { get; }
}
