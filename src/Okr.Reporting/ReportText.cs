using System.Globalization;
using NodaTime;
using NodaTime.Text;
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

    public static string LastCheckIn(Core.Service.KeyResultStatus kr, DateTimeZone zone) =>
        kr.Latest is { } c ? Date(c.RecordedAt, zone) : "never";

    /// <summary>The share of the bar to fill: progress clamped to 0..1.</summary>
    public static double Fill(double? progress) => Math.Clamp(progress ?? 0, 0, 1);

    /// <summary>
    /// User text set apart from what surrounds it (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE), so a
    /// right-to-left title, or formatting characters in it, cannot reorder the owner or the figures after it.
    /// </summary>
    public static string Isolate(string userText) => "\u2068" + userText + "\u2069";
}
