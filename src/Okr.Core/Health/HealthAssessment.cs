namespace Okr.Core.Health;

/// <summary>A health verdict with what it was based on.</summary>
/// <param name="Status">The status that stands: the override's when there is one, else <paramref name="Computed"/>.</param>
/// <param name="Computed">The status computed from the inputs.</param>
/// <param name="ElapsedShare">The elapsed share of the period, 0..1.</param>
/// <param name="ExpectedProgress">The progress expected by now, 0..1.</param>
/// <param name="Progress">The progress judged (null for no data).</param>
/// <param name="Override">The override, if any.</param>
public sealed record HealthAssessment(HealthStatus Status, HealthStatus Computed, double ElapsedShare, double ExpectedProgress, double? Progress, HealthOverride? Override);
