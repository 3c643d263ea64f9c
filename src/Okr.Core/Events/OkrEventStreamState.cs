using NodaTime;

namespace Okr.Core.Events;

/// <summary>The delivery state of one tenant's events.</summary>
public sealed class OkrEventStreamState
{
    /// <summary>Initializes a new instance of the <see cref="OkrEventStreamState"/> class.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="lastSequence">The last sequence written.</param>
    /// <param name="deliveredThrough">The last sequence delivered.</param>
    /// <param name="attempts">Failed deliveries since the last success.</param>
    /// <param name="nextAttemptAt">When the stream is due (after a failure, its retry time).</param>
    /// <param name="lastError">The last failure, until a delivery succeeds.</param>
    /// <param name="leasedBy">Who holds the lease, if anyone.</param>
    /// <param name="leasedUntil">When that lease expires.</param>
    public OkrEventStreamState(TenantId tenant, long lastSequence, long deliveredThrough, int attempts, Instant nextAttemptAt, string? lastError, string? leasedBy, Instant? leasedUntil)
    {
        Tenant = tenant;
        LastSequence = lastSequence;
        DeliveredThrough = deliveredThrough;
        Attempts = attempts;
        NextAttemptAt = nextAttemptAt;
        LastError = lastError;
        LeasedBy = leasedBy;
        LeasedUntil = leasedUntil;
    }

    /// <summary>The tenant.</summary>
    public TenantId Tenant { get; }

    /// <summary>The last sequence written.</summary>
    public long LastSequence { get; }

    /// <summary>The last sequence delivered.</summary>
    public long DeliveredThrough { get; }

    /// <summary>Failed deliveries since the last success.</summary>
    public int Attempts { get; }

    /// <summary>When the stream is due (after a failure, its retry time).</summary>
    public Instant NextAttemptAt { get; }

    /// <summary>The last failure, until a delivery succeeds.</summary>
    public string? LastError { get; }

    /// <summary>Who holds the lease, if anyone.</summary>
    public string? LeasedBy { get; }

    /// <summary>When that lease expires.</summary>
    public Instant? LeasedUntil { get; }
}
