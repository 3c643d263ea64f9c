namespace Okr.Core.Health;

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
