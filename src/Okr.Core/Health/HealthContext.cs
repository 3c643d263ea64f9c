using NodaTime;

namespace Okr.Core.Health;

/// <summary>Everything a health verdict depends on. Health is a pure function of it.</summary>
public sealed class HealthContext
{
    /// <summary>Initializes a new instance of the <see cref="HealthContext"/> class.</summary>
    /// <param name="progress">The progress shown (null for no data).</param>
    /// <param name="lastCheckInAt">When the last check-in was recorded, or null when there is none.</param>
    /// <param name="confidence">The latest confidence given, if any.</param>
    /// <param name="period">The period.</param>
    /// <param name="zone">The organisation's time zone: it decides when the period's days begin.</param>
    /// <param name="now">The instant of the verdict, from the injected clock.</param>
    /// <param name="override">A person's override, if any.</param>
    public HealthContext(double? progress, Instant? lastCheckInAt, Confidence? confidence, OkrPeriod period, DateTimeZone zone, Instant now, HealthOverride? @override = null)
    {
        Progress = progress;
        LastCheckInAt = lastCheckInAt;
        Confidence = confidence;
        Period = period;
        Zone = zone;
        Now = now;
        Override = @override;
    }

    /// <summary>The progress shown (null for no data).</summary>
    public double? Progress { get; }

    /// <summary>When the last check-in was recorded, or null when there is none.</summary>
    public Instant? LastCheckInAt { get; }

    /// <summary>The latest confidence given, if any.</summary>
    public Confidence? Confidence { get; }

    /// <summary>The period.</summary>
    public OkrPeriod Period { get; }

    /// <summary>The organisation's time zone: it decides when the period's days begin.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The instant of the verdict, from the injected clock.</summary>
    public Instant Now { get; }

    /// <summary>A person's override, if any.</summary>
    public HealthOverride? Override { get; }

    /// <summary>
    /// For a key result that follows a check-in cadence, whether a check-in is overdue at <see cref="Now"/> (owed past
    /// its grace days, as <see cref="Service.OkrCheckIns.DueAsync"/> says); null when it follows none. When set, it
    /// decides staleness instead of one number of days (<see cref="HealthOptions.StaleAfter"/>).
    /// </summary>
    public bool? CheckInOverdue { get; init; }
}
