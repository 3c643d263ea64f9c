using NodaTime;

namespace Okr.Core.Health;

/// <summary>Settings of <see cref="PaceHealthPolicy"/>.</summary>
public sealed record HealthOptions
{
    /// <summary>The pace thresholds; <see cref="DifferenceThresholds"/> with 0.2 / 0.4 by default.</summary>
    public PaceThresholds Thresholds { get; init; } = new DifferenceThresholds();

    /// <summary>The expected progress over the period; even pace by default.</summary>
    public IExpectedProgressCurve Curve { get; init; } = LinearCurve.Instance;

    /// <summary>How long without a check-in makes a key result stale; 14 days by default.</summary>
    public Duration StaleAfter { get; init; } = Duration.FromDays(14);

    /// <summary>Confidence below this lowers an on-track verdict to at risk; 0.5 by default (0 turns it off).</summary>
    public double LowConfidenceBelow { get; init; } = 0.5;
}
