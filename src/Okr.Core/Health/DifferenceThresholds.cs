namespace Okr.Core.Health;

/// <summary>
/// By difference d = progress − expected: d &lt; −<see cref="OffTrackBelow"/> is off track,
/// d &lt; −<see cref="AtRiskBelow"/> at risk, otherwise on track. Defaults 0.2 and 0.4; another
/// published pair is 0.165 and 0.33.
/// </summary>
public sealed record DifferenceThresholds : PaceThresholds
{
    /// <summary>Creates the thresholds.</summary>
    /// <param name="atRiskBelow">The shortfall beyond which the status is at risk, 0..1.</param>
    /// <param name="offTrackBelow">The shortfall beyond which it is off track, ≥ <paramref name="atRiskBelow"/>.</param>
    /// <exception cref="OkrValidationException">The values are out of range or order.</exception>
    public DifferenceThresholds(double atRiskBelow = 0.2, double offTrackBelow = 0.4)
    {
        var violations = new ViolationList();
        violations.Finite(atRiskBelow, nameof(AtRiskBelow), 0, 1);
        violations.Finite(offTrackBelow, nameof(OffTrackBelow), atRiskBelow, 1);
        violations.ThrowIfAny();
        AtRiskBelow = atRiskBelow;
        OffTrackBelow = offTrackBelow;
    }

    /// <summary>The shortfall beyond which the status is at risk.</summary>
    public double AtRiskBelow { get; }

    /// <summary>The shortfall beyond which the status is off track.</summary>
    public double OffTrackBelow { get; }

    /// <inheritdoc/>
    public override HealthStatus Judge(double progress, double expected)
    {
        var d = progress - expected;
        return d < -OffTrackBelow ? HealthStatus.OffTrack : d < -AtRiskBelow ? HealthStatus.AtRisk : HealthStatus.OnTrack;
    }
}
