namespace Okr.Core;

/// <summary>
/// A measure with three levels beyond its baseline: <see cref="Commit"/>, <see cref="Target"/> and
/// <see cref="Stretch"/>. Levels may rise (baseline &lt; commit &lt; target &lt; stretch) or fall
/// (baseline &gt; commit &gt; target &gt; stretch).
/// </summary>
/// <remarks>
/// The stepped scoring policy maps the zones baseline..commit, commit..target and target..stretch
/// onto 0..0.3, 0.3..0.7 and 0.7..1.0. <see cref="FromStretch"/> places commit and target at 30 %
/// and 70 % of the way from baseline to stretch, the published defaults.
/// </remarks>
public sealed record StagedMeasure : Measure
{
    /// <summary>Creates the measure.</summary>
    /// <param name="baseline">The value at the start.</param>
    /// <param name="commit">The committed level.</param>
    /// <param name="target">The target level.</param>
    /// <param name="stretch">The stretch level.</param>
    /// <param name="unit">The unit of the values.</param>
    /// <exception cref="OkrValidationException">The levels are not strictly monotone in one direction, or out of range.</exception>
    public StagedMeasure(decimal baseline, decimal commit, decimal target, decimal stretch, MeasureUnit unit = default)
        : base(unit)
    {
        var violations = new ViolationList();
        CheckRange(ref violations, baseline, nameof(Baseline));
        CheckRange(ref violations, commit, nameof(Commit));
        CheckRange(ref violations, target, nameof(Target));
        CheckRange(ref violations, stretch, nameof(Stretch));
        if (baseline == target)
        {
            violations.Add(OkrErrorCodes.BaselineEqualsTarget, nameof(Target), $"Target equals Baseline ({baseline}), so progress cannot be measured.");
        }
        else
        {
            var up = stretch > baseline;
            var ordered = up
                ? baseline < commit && commit < target && target < stretch
                : baseline > commit && commit > target && target > stretch;
            if (!ordered)
            {
                violations.Add(
                    OkrErrorCodes.LevelsOutOfOrder,
                    nameof(Commit),
                    $"Levels must be strictly {(up ? "increasing" : "decreasing")}: baseline {baseline}, commit {commit}, target {target}, stretch {stretch}.");
            }
        }

        violations.ThrowIfAny();
        Baseline = baseline;
        Commit = commit;
        Target = target;
        Stretch = stretch;
    }

    /// <inheritdoc/>
    public override MeasureKind Kind => MeasureKind.Staged;

    /// <summary>The value at the start.</summary>
    public decimal Baseline { get; }

    /// <summary>The committed level (scores 0.3 under the stepped policy).</summary>
    public decimal Commit { get; }

    /// <summary>The target level (scores 0.7 under the stepped policy).</summary>
    public decimal Target { get; }

    /// <summary>The stretch level (scores 1.0).</summary>
    public decimal Stretch { get; }

    /// <summary>Whether the levels rise from the baseline.</summary>
    public bool IsIncreasing => Stretch > Baseline;

    /// <summary>Places commit and target at 30 % and 70 % of the way from baseline to stretch.</summary>
    /// <param name="baseline">The value at the start.</param>
    /// <param name="stretch">The stretch level; must differ from the baseline.</param>
    /// <param name="unit">The unit of the values.</param>
    /// <returns>The measure.</returns>
    /// <exception cref="OkrValidationException">Baseline equals stretch, or a value is out of range.</exception>
    public static StagedMeasure FromStretch(decimal baseline, decimal stretch, MeasureUnit unit = default)
    {
        if (!InRange(baseline) || !InRange(stretch) || baseline == stretch)
        {
            // Let the constructor report every problem in its usual words.
            return new StagedMeasure(baseline, baseline, baseline, stretch, unit);
        }

        var span = stretch - baseline;
        return new StagedMeasure(baseline, baseline + (0.3m * span), baseline + (0.7m * span), stretch, unit);
    }
}
