namespace Okr.Core.Health;

/// <summary>Turns progress and expected progress into a pace verdict.</summary>
public abstract record PaceThresholds
{
    private protected PaceThresholds()
    {
    }

    /// <summary>The verdict for a progress against the expected progress.</summary>
    /// <param name="progress">The progress, 0..1 (or above with overachievement).</param>
    /// <param name="expected">The expected progress, 0..1.</param>
    /// <returns>OnTrack, AtRisk or OffTrack.</returns>
    public abstract HealthStatus Judge(double progress, double expected);
}

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

/// <summary>
/// By ratio r = progress / expected: r ≥ <see cref="OnTrackAtLeast"/> (0.95) is on track,
/// r ≥ <see cref="AtRiskAtLeast"/> (0.75) at risk, otherwise off track. Nothing expected yet is on track.
/// </summary>
public sealed record RatioThresholds : PaceThresholds
{
    /// <summary>Creates the thresholds.</summary>
    /// <param name="onTrackAtLeast">The lowest ratio that is on track, 0..1.</param>
    /// <param name="atRiskAtLeast">The lowest ratio that is at risk, ≤ <paramref name="onTrackAtLeast"/>.</param>
    /// <exception cref="OkrValidationException">The values are out of range or order.</exception>
    public RatioThresholds(double onTrackAtLeast = 0.95, double atRiskAtLeast = 0.75)
    {
        var violations = new ViolationList();
        violations.Finite(onTrackAtLeast, nameof(OnTrackAtLeast), 0, 1);
        violations.Finite(atRiskAtLeast, nameof(AtRiskAtLeast), 0, onTrackAtLeast);
        violations.ThrowIfAny();
        OnTrackAtLeast = onTrackAtLeast;
        AtRiskAtLeast = atRiskAtLeast;
    }

    /// <summary>The lowest ratio that is on track.</summary>
    public double OnTrackAtLeast { get; }

    /// <summary>The lowest ratio that is at risk.</summary>
    public double AtRiskAtLeast { get; }

    /// <inheritdoc/>
    public override HealthStatus Judge(double progress, double expected)
    {
        if (expected <= 0)
        {
            return HealthStatus.OnTrack;
        }

        var r = progress / expected;
        return r >= OnTrackAtLeast ? HealthStatus.OnTrack : r >= AtRiskAtLeast ? HealthStatus.AtRisk : HealthStatus.OffTrack;
    }
}
