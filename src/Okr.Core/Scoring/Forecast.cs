using NodaTime;

namespace Okr.Core.Scoring;

/// <summary>Where a key result is heading by the end of its period.</summary>
public sealed class Forecast
{
    internal Forecast(bool isSufficient, int points, Instant at, double? slopePerDay, decimal? projectedValue, Score? projectedScore)
    {
        IsSufficient = isSufficient;
        Points = points;
        At = at;
        SlopePerDay = slopePerDay;
        ProjectedValue = projectedValue;
        ProjectedScore = projectedScore;
    }

    /// <summary>False with fewer than two check-ins in force, when they all share one effective instant, or for a milestone (done or not has no trend); then nothing is projected.</summary>
    public bool IsSufficient { get; }

    /// <summary>How many check-ins in force the fit used.</summary>
    public int Points { get; }

    /// <summary>The instant projected to: the end of the period's last day in the organisation's zone.</summary>
    public Instant At { get; }

    /// <summary>The fitted change of value per day (null when insufficient).</summary>
    public double? SlopePerDay { get; }

    /// <summary>The fitted value at <see cref="At"/>, within ±10^18 (null when insufficient).</summary>
    public decimal? ProjectedValue { get; }

    /// <summary>The score of the projected value under the scoring policy (null when insufficient).</summary>
    public Score? ProjectedScore { get; }
}
