namespace Okr.Core.Scoring;

/// <summary>
/// The default policy: progress is the linear raw ratio of <see cref="ProgressFormulas.LinearRatio"/>,
/// clamped to 0..1, or to 0..<see cref="OverachievementCap"/> when overachievement is shown.
/// </summary>
public sealed class LinearScoringPolicy : IScoringPolicy
{
    /// <summary>Creates the policy.</summary>
    /// <param name="overachievementCap">The highest progress shown, ≥ 1; 1 (the default) hides overachievement, 1.25 shows up to 125 %.</param>
    /// <param name="thresholdCredit">How values outside a threshold or range score; all-or-nothing by default.</param>
    /// <exception cref="OkrValidationException">The cap is below 1 or not finite.</exception>
    public LinearScoringPolicy(double overachievementCap = 1.0, ThresholdCredit? thresholdCredit = null)
    {
        var violations = new ViolationList();
        violations.Finite(overachievementCap, nameof(OverachievementCap), 1, double.MaxValue);
        violations.ThrowIfAny();
        OverachievementCap = overachievementCap;
        ThresholdCredit = thresholdCredit ?? ThresholdCredit.AllOrNothing;
    }

    /// <summary>The policy with its defaults: no overachievement, all-or-nothing thresholds.</summary>
    public static LinearScoringPolicy Default { get; } = new();

    /// <summary>The highest progress shown (1 = no overachievement).</summary>
    public double OverachievementCap { get; }

    /// <summary>How values outside a threshold or range score.</summary>
    public ThresholdCredit ThresholdCredit { get; }

    /// <inheritdoc/>
    public Score Score(KeyResult keyResult, decimal value)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        return Scoring.Score.FromRaw(ProgressFormulas.LinearRatio(keyResult.Measure, value, ThresholdCredit), OverachievementCap);
    }
}
