using System.Globalization;
using System.Resources;
using NodaTime;
using NodaTime.Text;
using Okr.Core;
using Okr.Core.Health;

namespace Okr.Reporting;

/// <summary>
/// The words and numbers every renderer shows the same way, in one culture. Every text comes from the resources
/// (<c>Resources/ReportStrings*.resx</c>: English, German, French, Norwegian Bokmål); numbers, percentages and dates
/// follow the culture. Without a culture a report is in English with culture-invariant numbers and ISO dates.
/// </summary>
internal sealed class ReportText
{
    /// <summary>The resources' base name: the neutral (English) texts in this assembly, the others in satellites.</summary>
    internal const string ResourceName = "Okr.Reporting.Resources.ReportStrings";

    internal static readonly ResourceManager Resources = new(ResourceName, typeof(ReportText).Assembly);

    private static readonly LocalDatePattern IsoDate = LocalDatePattern.Iso;

    private readonly CultureInfo _format;
    private readonly CultureInfo _language;
    private readonly LocalDatePattern _date;

    private ReportText(CultureInfo? culture)
    {
        Culture = culture;
        _format = culture ?? CultureInfo.InvariantCulture;
        _language = culture ?? CultureInfo.InvariantCulture;
        _date = culture is null ? IsoDate : LocalDatePattern.Create("d", culture);
    }

    /// <summary>English words, culture-invariant numbers, ISO dates.</summary>
    public static ReportText Default { get; } = new(null);

    /// <summary>The culture given, or null for <see cref="Default"/>.</summary>
    public CultureInfo? Culture { get; }

    /// <summary>The language tag for an HTML document's <c>lang</c>.</summary>
    public string Language => Culture is { Name.Length: > 0 } c ? c.Name : "en";

    /// <summary>The texts of a culture; <see cref="Default"/> when null.</summary>
    public static ReportText For(CultureInfo? culture) => culture is null ? Default : new ReportText(culture);

    /// <summary>A text of the resources, in the culture's language (English when the culture has none of ours).</summary>
    public string this[string key] =>
        Resources.GetString(key, _language) ?? throw new InvalidOperationException($"The report resources have no text '{key}'.");

    /// <summary>A text of the resources with its placeholders filled, numbers in the culture.</summary>
    public string Format(string key, params object?[] args) => string.Format(_format, this[key], args);

    public string Percent(double? progress) => progress is { } p
        ? Culture is null ? (p * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : p.ToString("P0", Culture)
        : "–";

    /// <summary>A whole number in the culture.</summary>
    public string Count(int value) => Culture is null ? value.ToString(CultureInfo.InvariantCulture) : value.ToString("N0", Culture);

    public string Health(HealthStatus status) => this["Health." + HealthKey(status)];

    /// <summary>A health's CSS class, the same in every language: <c>on-track</c>.</summary>
    public static string HealthClass(HealthStatus status) => status switch
    {
        HealthStatus.OnTrack => "on-track",
        HealthStatus.AtRisk => "at-risk",
        HealthStatus.OffTrack => "off-track",
        HealthStatus.Stale => "stale",
        _ => "no-data",
    };

    public string State(PeriodState state) => this["PeriodState." + state];

    public string State(ObjectiveState state) => this["ObjectiveState." + state];

    public string Date(Instant instant, DateTimeZone zone) => _date.Format(instant.InZone(zone).Date);

    public string Dates(PeriodReport report) => Format("DateRange", _date.Format(report.Period.Dates.Start), _date.Format(report.Period.Dates.End));

    /// <summary>When the value in force was true, and when it was recorded if that was another day (a back-filled figure).</summary>
    public string LastCheckIn(Core.Service.KeyResultStatus kr, DateTimeZone zone)
    {
        if (kr.Latest is not { } c)
        {
            return this["Never"];
        }

        var (effective, recorded) = (Date(c.EffectiveAt, zone), Date(c.RecordedAt, zone));
        return effective == recorded ? effective : Format("Recorded", effective, recorded);
    }

    /// <summary>A grade and whether it met its expectation: "72 %, missed (70 % expected)".</summary>
    public string Grade(ReportGrade grade) => Format("Grade", Percent(grade.Grade.Value), grade.Met ? this["Met"] : this["Missed"], Percent(grade.Expected));

    /// <summary>A key result at close: met when its progress reached its target.</summary>
    public string Met(double? progress) => IsMet(progress) ? this["Met"] : this["Missed"];

    /// <summary>Whether a key result's progress reached its target.</summary>
    public static bool IsMet(double? progress) => progress >= 1 - 1e-9;

    /// <summary>Who overrode a grade, from what, and why.</summary>
    public string Override(PeriodReport report, FinalGrade grade) =>
        grade.OverriddenBy is { } by ? Format("Override", Percent(grade.Value), Percent(grade.Computed), report.OwnerName(by), grade.OverrideReason) : string.Empty;

    /// <summary>The line a threshold or range measure holds, in its unit: "at or above 99.5 %".</summary>
    public string HoldLine(KeyResult keyResult) => keyResult.Measure switch
    {
        StayAboveMeasure m => Format("Hold.Above", Value(m.Threshold, keyResult.Measure.Unit)),
        StayBelowMeasure m => Format("Hold.Below", Value(m.Threshold, keyResult.Measure.Unit)),
        WithinRangeMeasure m => Format("Hold.Between", Value(m.Low, keyResult.Measure.Unit), Value(m.High, keyResult.Measure.Unit)),
        _ => string.Empty,
    };

    /// <summary>A value in its unit: "99.5 %", "1200 EUR", "12 tickets", "3".</summary>
    public string Value(decimal value, MeasureUnit unit)
    {
        var number = value.ToString("0.############", _format);
        return unit.Kind switch
        {
            MeasureUnitKind.Percent => WithPercentSign(number),
            MeasureUnitKind.Currency or MeasureUnitKind.Custom => $"{number} {unit.Code}",
            _ => number,
        };
    }

    /// <summary>A number with the percent sign placed as the culture places it ("99.5 %", "99,5 %", "99.5%", "%99,5").</summary>
    private string WithPercentSign(string number)
    {
        var zero = 0d.ToString("P0", _format);
        return zero.StartsWith('0') ? number + zero[1..] : zero[..^1] + number;
    }

    /// <summary>The date at a share of the period (0 its first day's start, 1 its last day's end).</summary>
    public string DateAt(PeriodReport report, double share)
    {
        var (start, end) = report.Period.InstantsIn(report.Zone);
        var at = start + ((end - start) * Math.Clamp(share, 0, 1));
        return Date(share >= 1 ? end - Duration.FromNanoseconds(1) : at, report.Zone);
    }

    /// <summary>The scope of a report, as the words after its dates: "; under Grow EMEA; top 3 levels".</summary>
    public string Scope(PeriodReport report)
    {
        var scope = report.Summary.Scope;
        var parts = new List<string>();
        if (scope.Subtree is not null && report.Roots.Count > 0)
        {
            parts.Add(Format("Scope.Under", Isolate(report.Roots[0].Status.Progress.Objective.Title)));
        }

        if (scope.Owners is { } owners)
        {
            parts.Add(Format("Scope.OwnedBy", string.Join(", ", owners.Select(o => Isolate(report.OwnerName(o))))));
        }

        if (scope.Levels is { } levels)
        {
            parts.Add(levels == 1 ? this["Scope.TopLevel"] : Format("Scope.TopLevels", levels));
        }

        return parts.Count == 0 ? string.Empty : "; " + string.Join("; ", parts);
    }

    /// <summary>The share of the bar to fill: progress clamped to 0..1.</summary>
    public static double Fill(double? progress) => Math.Clamp(progress ?? 0, 0, 1);

    /// <summary>
    /// User text set apart from what surrounds it (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE), so a
    /// right-to-left title, or formatting characters in it, cannot reorder the owner or the figures after it.
    /// </summary>
    public static string Isolate(string userText) => "\u2068" + userText + "\u2069";

    private static string HealthKey(HealthStatus status) => status switch
    {
        HealthStatus.OnTrack => "OnTrack",
        HealthStatus.AtRisk => "AtRisk",
        HealthStatus.OffTrack => "OffTrack",
        HealthStatus.Stale => "Stale",
        _ => "NoData",
    };
}
