using NodaTime;

namespace Okr.Core.Scoring;

/// <summary>Projects key results to the end of their period by least squares over their check-in history.</summary>
public static class Forecaster
{
    /// <summary>
    /// Fits value = a + b·t by ordinary least squares over the check-ins in force (corrections applied),
    /// t in days of effective time, and evaluates it at the end of the period.
    /// </summary>
    /// <param name="keyResult">The key result.</param>
    /// <param name="checkIns">Its check-ins, in any order.</param>
    /// <param name="period">Its period.</param>
    /// <param name="zone">The organisation's time zone.</param>
    /// <param name="scoring">The scoring policy for the projected score.</param>
    /// <returns>The forecast; <see cref="Forecast.IsSufficient"/> says whether there was enough data.</returns>
    public static Forecast Project(KeyResult keyResult, IEnumerable<CheckIn> checkIns, OkrPeriod period, DateTimeZone zone, IScoringPolicy scoring)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        ArgumentNullException.ThrowIfNull(checkIns);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(scoring);
        var end = period.InstantsIn(zone).End;
        var points = CheckInHistory.InForce(checkIns.Where(c => c.KeyResultId == keyResult.Id));
        // A milestone is done or not, and a level is chosen: neither has a trend to extrapolate.
        if (points.Count < 2 || points[0].EffectiveAt == points[^1].EffectiveAt || keyResult.Measure is MilestoneMeasure or OrdinalMeasure)
        {
            return new Forecast(false, points.Count, end, null, null, null);
        }

        // Centre both axes before fitting: values up to 10^18 and instants years apart stay well conditioned.
        var origin = points[0].EffectiveAt;
        var xs = points.Select(p => (p.EffectiveAt - origin).TotalDays).ToArray();
        var ys = points.Select(p => (double)p.Value).ToArray();
        var (slope, atMeanX, meanX) = Fit(xs, ys);
        var projected = atMeanX + (slope * ((end - origin).TotalDays - meanX));
        var value = (decimal)Math.Clamp(projected, (double)-Measure.MaxMagnitude, (double)Measure.MaxMagnitude);
        return new Forecast(true, points.Count, end, slope, value, scoring.Score(keyResult, value));
    }

    /// <summary>Least squares: returns the slope, the fitted value at the mean x, and the mean x.</summary>
    private static (double Slope, double AtMeanX, double MeanX) Fit(double[] xs, double[] ys)
    {
        var meanX = xs.Average();
        var meanY = ys.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            var dx = xs[i] - meanX;
            sxy += dx * (ys[i] - meanY);
            sxx += dx * dx;
        }

        return (sxy / sxx, meanY, meanX);
    }
}
