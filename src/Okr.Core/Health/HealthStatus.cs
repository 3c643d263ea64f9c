namespace Okr.Core.Health;

/// <summary>How a key result or objective is doing against the pace of its period.</summary>
public enum HealthStatus
{
    /// <summary>No value yet, and not stale.</summary>
    NoData = 0,

    /// <summary>At or ahead of the expected pace.</summary>
    OnTrack = 1,

    /// <summary>Behind the pace, or the owner's confidence is low.</summary>
    AtRisk = 2,

    /// <summary>Far behind the pace.</summary>
    OffTrack = 3,

    /// <summary>No check-in for too long; outranks every pace verdict.</summary>
    Stale = 4,
}
