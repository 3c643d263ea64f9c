using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Okr.Core;
using Okr.Core.Health;

namespace Okr.Reporting;

/// <summary>The words and numbers every renderer shows the same way.</summary>
internal static class ReportText
{
    public static string Percent(double? progress) =>
        progress is { } p ? (p * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "–";

    public static string Health(HealthStatus status) => status switch
    {
        HealthStatus.OnTrack => "on track",
        HealthStatus.AtRisk => "at risk",
        HealthStatus.OffTrack => "off track",
        HealthStatus.Stale => "stale",
        _ => "no data",
    };

    public static string Date(Instant instant, DateTimeZone zone) =>
        LocalDatePattern.Iso.Format(instant.InZone(zone).Date);

    public static string Dates(PeriodReport report) =>
        $"{LocalDatePattern.Iso.Format(report.Period.Dates.Start)} to {LocalDatePattern.Iso.Format(report.Period.Dates.End)}";

    /// <summary>When the value in force was true, and when it was recorded if that was another day (a back-filled figure).</summary>
    public static string LastCheckIn(Core.Service.KeyResultStatus kr, DateTimeZone zone)
    {
        if (kr.Latest is not { } c)
        {
            return "never";
        }

        var (effective, recorded) = (Date(c.EffectiveAt, zone), Date(c.RecordedAt, zone));
        return effective == recorded ? effective : $"{effective} (recorded {recorded})";
    }

    /// <summary>A grade and whether it met its expectation: "72 %, missed (70 % expected)".</summary>
    public static string Grade(ReportGrade grade) =>
        $"{Percent(grade.Grade.Value)}, {(grade.Met ? "met" : "missed")} ({Percent(grade.Expected)} expected)";

    /// <summary>A key result at close: met when its progress reached its target.</summary>
    public static string Met(double? progress) => progress >= 1 - 1e-9 ? "met" : "missed";

    /// <summary>Who overrode a grade, from what, and why.</summary>
    public static string Override(PeriodReport report, FinalGrade grade) =>
        grade.OverriddenBy is { } by ? $"set to {Percent(grade.Value)} from {Percent(grade.Computed)} by {report.OwnerName(by)}: {grade.OverrideReason}" : string.Empty;

    /// <summary>The line a threshold or range measure holds, in its unit: "at or above 99.5 %".</summary>
    public static string HoldLine(KeyResult keyResult) => keyResult.Measure switch
    {
        StayAboveMeasure m => $"at or above {Value(m.Threshold, keyResult.Measure.Unit)}",
        StayBelowMeasure m => $"at or below {Value(m.Threshold, keyResult.Measure.Unit)}",
        WithinRangeMeasure m => $"between {Value(m.Low, keyResult.Measure.Unit)} and {Value(m.High, keyResult.Measure.Unit)}",
        _ => string.Empty,
    };

    /// <summary>A value in its unit: "99.5 %", "1200 EUR", "12 tickets", "3".</summary>
    public static string Value(decimal value, MeasureUnit unit)
    {
        var number = value.ToString("0.############", CultureInfo.InvariantCulture);
        return unit.Kind switch
        {
            MeasureUnitKind.Percent => number + " %",
            MeasureUnitKind.Currency or MeasureUnitKind.Custom => $"{number} {unit.Code}",
            _ => number,
        };
    }

    /// <summary>The date at a share of the period (0 its first day's start, 1 its last day's end).</summary>
    public static string DateAt(PeriodReport report, double share)
    {
        var (start, end) = report.Period.InstantsIn(report.Zone);
        var at = start + ((end - start) * Math.Clamp(share, 0, 1));
        return Date(share >= 1 ? end - Duration.FromNanoseconds(1) : at, report.Zone);
    }

    /// <summary>The share of the bar to fill: progress clamped to 0..1.</summary>
    public static double Fill(double? progress) => Math.Clamp(progress ?? 0, 0, 1);

    /// <summary>
    /// User text set apart from what surrounds it (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE), so a
    /// right-to-left title, or formatting characters in it, cannot reorder the owner or the figures after it.
    /// </summary>
    public static string Isolate(string userText) => "\u2068" + userText + "\u2069";
}
