namespace Okr.Core.Scoring;

/// <summary>
/// Google-style grading: the linear raw ratio (to the stretch for a staged measure), clamped to
/// 0..1 and rounded to tenths, so grades read 0.0, 0.1, …, 1.0 and fall in the bands
/// 0.0–0.3 red, 0.4–0.6 yellow, 0.7–1.0 green.
/// </summary>
/// <remarks>
/// Aspirational OKRs are expected to average 0.6–0.7; committed ones to reach 1.0
/// (see <see cref="AssessmentOptions"/>).
/// </remarks>
public sealed class GoogleGradingPolicy : IScoringPolicy
{
    /// <summary>The policy.</summary>
    public static GoogleGradingPolicy Instance { get; } = new();

    /// <inheritdoc/>
    public Score Score(KeyResult keyResult, decimal value)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        var raw = ProgressFormulas.LinearRatio(keyResult.Measure, value);
        return new Score(raw, GradeBands.RoundToTenths(Math.Clamp(raw, 0, 1)));
    }
}
