namespace Okr.Core.Scoring;

/// <summary>The one definition of the grade bands, used by every policy and report.</summary>
public static class GradeBands
{
    /// <summary>
    /// The band of a progress or grade: rounded to tenths (halves away from zero), 0.0–0.3 is red,
    /// 0.4–0.6 yellow, 0.7 and above green.
    /// </summary>
    /// <param name="progress">A progress or grade, normally 0..1.</param>
    /// <returns>The band; NaN counts as red.</returns>
    public static GradeBand Of(double progress)
    {
        var tenths = RoundToTenths(progress);
        return !(tenths >= 0.4) ? GradeBand.Red : tenths < 0.7 ? GradeBand.Yellow : GradeBand.Green;
    }

    /// <summary>Rounds to tenths, halves away from zero: 0.65 → 0.7, 0.349 → 0.3.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value rounded to one decimal place.</returns>
    public static double RoundToTenths(double value) =>
        // Through decimal where possible, so 0.35 (stored as 0.34999…) still rounds as people expect.
        double.IsFinite(value) && Math.Abs(value) < 1e15
            ? (double)Math.Round((decimal)value, 1, MidpointRounding.AwayFromZero)
            : value;
}
