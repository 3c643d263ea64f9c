using NodaTime;

namespace Okr.Core.Health;

/// <summary>Everything a health verdict depends on. Health is a pure function of it.</summary>
/// <param name="Progress">The progress shown (null for no data).</param>
/// <param name="LastCheckInAt">When the last check-in was recorded, or null when there is none.</param>
/// <param name="Confidence">The latest confidence given, if any.</param>
/// <param name="Period">The period.</param>
/// <param name="Zone">The organisation's time zone: it decides when the period's days begin.</param>
/// <param name="Now">The instant of the verdict, from the injected clock.</param>
/// <param name="Override">A person's override, if any.</param>
public sealed record HealthContext(double? Progress, Instant? LastCheckInAt, Confidence? Confidence, OkrPeriod Period, DateTimeZone Zone, Instant Now, HealthOverride? Override = null);
