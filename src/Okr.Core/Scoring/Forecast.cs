using NodaTime;

namespace Okr.Core.Scoring;

/// <summary>Where a key result is heading by the end of its period.</summary>
/// <param name="IsSufficient">False with fewer than two check-ins in force, when they all share one effective instant, or for a milestone (done or not has no trend); then nothing is projected.</param>
/// <param name="Points">How many check-ins in force the fit used.</param>
/// <param name="At">The instant projected to: the end of the period's last day in the organisation's zone.</param>
/// <param name="SlopePerDay">The fitted change of value per day (null when insufficient).</param>
/// <param name="ProjectedValue">The fitted value at <paramref name="At"/>, within ±10^18 (null when insufficient).</param>
/// <param name="ProjectedScore">The score of the projected value under the scoring policy (null when insufficient).</param>
public sealed record Forecast(bool IsSufficient, int Points, Instant At, double? SlopePerDay, decimal? ProjectedValue, Score? ProjectedScore);
