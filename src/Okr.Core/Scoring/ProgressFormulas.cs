namespace Okr.Core.Scoring;

/// <summary>
/// The raw-ratio formulas of every measure type, in one place. Differences are taken in
/// <see cref="decimal"/> (exact) before the one division in <see cref="double"/>, so fractions are
/// never lost and no division by zero is possible (baseline ≠ target is guaranteed by the measures).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Increase</term><description>(v − b) / (t − b); negative when v moved down.</description></item>
/// <item><term>Decrease</term><description>(b − v) / (b − t); negative when v moved up. Never |v − b| / |t − b|, never v / t.</description></item>
/// <item><term>StayAbove x</term><description>1 when v ≥ x; else 0, or partial credit.</description></item>
/// <item><term>StayBelow x</term><description>1 when v ≤ x; else 0, or partial credit.</description></item>
/// <item><term>WithinRange lo..hi</term><description>1 when lo ≤ v ≤ hi; else 0, or partial credit.</description></item>
/// <item><term>Milestone</term><description>1 when v = 1 (done), else 0.</description></item>
/// <item><term>Staged</term><description>linear: (v − b) / (s − b); stepped: see <see cref="SteppedScoringPolicy"/>.</description></item>
/// <item><term>Ordinal</term><description>the chosen level's score, under every policy.</description></item>
/// </list>
/// </remarks>
public static class ProgressFormulas
{
    /// <summary>The linear raw ratio of a value under a measure: 0 at the baseline, 1 at the target (at the stretch for a staged measure).</summary>
    /// <param name="measure">The measure.</param>
    /// <param name="value">The value.</param>
    /// <param name="credit">How values outside a threshold or range score; all-or-nothing when null.</param>
    /// <returns>The raw ratio, unclamped.</returns>
    public static double LinearRatio(Measure measure, decimal value, ThresholdCredit? credit = null)
    {
        ArgumentNullException.ThrowIfNull(measure);
        var tolerance = credit?.Tolerance;
        return measure switch
        {
            IncreaseMeasure m => Ratio(value - m.Baseline, m.Target - m.Baseline),
            DecreaseMeasure m => Ratio(m.Baseline - value, m.Baseline - m.Target),
            StayAboveMeasure m => value >= m.Threshold ? 1 : Partial(m.Threshold - value, Math.Abs(m.Threshold), tolerance),
            StayBelowMeasure m => value <= m.Threshold ? 1 : Partial(value - m.Threshold, Math.Abs(m.Threshold), tolerance),
            WithinRangeMeasure m => value < m.Low ? Partial(m.Low - value, m.High - m.Low, tolerance)
                : value > m.High ? Partial(value - m.High, m.High - m.Low, tolerance)
                : 1,
            MilestoneMeasure => value == 1m ? 1 : 0,
            StagedMeasure m => Ratio(value - m.Baseline, m.Stretch - m.Baseline),
            OrdinalMeasure m => m.ScoreAt(value),
            _ => throw new ArgumentException($"Unknown measure type {measure.GetType().Name}.", nameof(measure)),
        };
    }

    /// <summary>
    /// Piecewise-linear interpolation through increasing or decreasing levels: value <c>levels[i]</c>
    /// scores <c>scores[i]</c>, linear inside each zone, and the first and last zones' slopes extend
    /// beyond the ends (so a value past the last level scores above its score).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="levels">At least two strictly monotone levels.</param>
    /// <param name="scores">The score at each level, strictly increasing.</param>
    /// <returns>The interpolated raw ratio.</returns>
    public static double Piecewise(decimal value, ReadOnlySpan<decimal> levels, ReadOnlySpan<double> scores)
    {
        if (levels.Length < 2 || levels.Length != scores.Length)
        {
            throw new ArgumentException("Piecewise needs at least two levels and one score per level.", nameof(levels));
        }

        var up = levels[^1] > levels[0];
        var zone = 0;
        while (zone < levels.Length - 2 && (up ? value > levels[zone + 1] : value < levels[zone + 1]))
        {
            zone++;
        }

        var share = Ratio(value - levels[zone], levels[zone + 1] - levels[zone]);
        return scores[zone] + (share * (scores[zone + 1] - scores[zone]));
    }

    private static double Ratio(decimal numerator, decimal denominator) => (double)numerator / (double)denominator;

    private static double Partial(decimal distance, decimal scale, double? tolerance) =>
        tolerance is not { } t ? 0 : 1 - ((double)distance / (t * (scale == 0 ? 1 : (double)scale)));
}
