namespace Okr.Core.Scoring;

/// <summary>
/// Zones: the commit level scores <see cref="CommitScore"/> (0.3), the target <see cref="TargetScore"/>
/// (0.7) and the stretch 1.0, linear inside each zone.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="StagedMeasure"/>: baseline → 0, commit → 0.3, target → 0.7, stretch → 1.0.</item>
/// <item><see cref="IncreaseMeasure"/> / <see cref="DecreaseMeasure"/> with a stretch: baseline → 0,
/// target → 0.7, stretch → 1.0.</item>
/// <item>Every other measure (and Increase/Decrease without a stretch) scores as under
/// <see cref="LinearScoringPolicy"/>: reaching the target is 1.0.</item>
/// </list>
/// Progress is clamped to 0..1.
/// </remarks>
public sealed class SteppedScoringPolicy : IScoringPolicy
{
    /// <summary>Creates the policy.</summary>
    /// <param name="commitScore">The score at the commit level; 0 &lt; commit &lt; target.</param>
    /// <param name="targetScore">The score at the target level; commit &lt; target &lt; 1.</param>
    /// <param name="thresholdCredit">How values outside a threshold or range score; all-or-nothing by default.</param>
    /// <exception cref="OkrValidationException">The scores are not strictly between 0 and 1 in order.</exception>
    public SteppedScoringPolicy(double commitScore = 0.3, double targetScore = 0.7, ThresholdCredit? thresholdCredit = null)
    {
        var violations = new ViolationList();
        violations.Finite(commitScore, nameof(CommitScore), double.Epsilon, 1);
        violations.Finite(targetScore, nameof(TargetScore), double.Epsilon, 1);
        if (violations.IsEmpty && !(commitScore < targetScore && targetScore < 1))
        {
            violations.Add(OkrErrorCodes.PolicyOutOfOrder, nameof(TargetScore), $"Scores must satisfy 0 < commit ({commitScore}) < target ({targetScore}) < 1.");
        }

        violations.ThrowIfAny();
        CommitScore = commitScore;
        TargetScore = targetScore;
        ThresholdCredit = thresholdCredit ?? ThresholdCredit.AllOrNothing;
    }

    /// <summary>The policy with the published levels 0.3 and 0.7.</summary>
    public static SteppedScoringPolicy Default { get; } = new();

    /// <summary>The score at the commit level (0.3 by default).</summary>
    public double CommitScore { get; }

    /// <summary>The score at the target level (0.7 by default).</summary>
    public double TargetScore { get; }

    /// <summary>How values outside a threshold or range score.</summary>
    public ThresholdCredit ThresholdCredit { get; }

    /// <inheritdoc/>
    public Score Score(KeyResult keyResult, decimal value)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        var raw = keyResult.Measure switch
        {
            StagedMeasure m => ProgressFormulas.Piecewise(value, [m.Baseline, m.Commit, m.Target, m.Stretch], [0, CommitScore, TargetScore, 1]),
            IncreaseMeasure { Stretch: { } s } m => ProgressFormulas.Piecewise(value, [m.Baseline, m.Target, s], [0, TargetScore, 1]),
            DecreaseMeasure { Stretch: { } s } m => ProgressFormulas.Piecewise(value, [m.Baseline, m.Target, s], [0, TargetScore, 1]),
            var m => ProgressFormulas.LinearRatio(m, value, ThresholdCredit),
        };
        return Scoring.Score.FromRaw(raw);
    }
}
