using System.Globalization;
using System.Net;
using System.Text;
using Okr.Core.Health;

namespace Okr.Reporting;

/// <summary>
/// Renders a <see cref="PeriodReport"/> as one self-contained HTML file: inline CSS and inline SVG, no scripts,
/// no external assets, so it can be mailed, archived or opened offline. It shows the alignment tree with
/// progress bars and health (grades, met or missed once the period is closed), the report's charts against their
/// line on a dated axis, the at-risk and stale lists with owners (the missed objectives and overridden grades once
/// closed) and alignment coverage. Progress bars are CSS boxes, so a company report of 1,500 objectives stays
/// under a megabyte (<c>ReportTests.A_company_report_of_1500_objectives_stays_under_a_megabyte</c>).
/// </summary>
public static class HtmlReport
{
    private const int ChartWidth = 320;
    private const int ChartHeight = 150;
    private const int Left = 34;
    private const int Right = 8;
    private const int Top = 10;
    private const int Bottom = 22;

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2933;background:#fff}
        h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #d9e2ec;padding-bottom:.3rem}
        .meta{color:#52606d}.score{font-size:1.4rem;font-weight:600}
        ul.tree,ul.tree ul{list-style:none;padding-left:1.4rem;margin:0}ul.tree{padding-left:0}
        ul.tree li{margin:.35rem 0}.o{font-weight:600}.w{color:#52606d;font-weight:400}
        .k{margin:.2rem 0 .4rem 1.4rem;border-collapse:collapse;font-size:.92rem}.k td{padding:.1rem .6rem .1rem 0}
        .b{display:inline-block;vertical-align:middle;height:10px;border-radius:3px;background:#e4e7eb;overflow:hidden}.b i{display:block;height:10px;background:#3182ce}
        .b1{width:160px}.b2{width:120px}.b3{width:100px}.b4{width:60px}
        .p{display:inline-block;min-width:3.2rem;text-align:right;font-variant-numeric:tabular-nums}
        .h{display:inline-block;border-radius:.8rem;padding:0 .55rem;font-size:.8rem;font-weight:600;color:#fff}
        .on-track,.met{background:#2f855a}.at-risk{background:#b7791f}.off-track,.missed{background:#c53030}.stale{background:#6b46c1}.no-data,.state{background:#718096}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:1rem}
        figure{margin:0;border:1px solid #d9e2ec;border-radius:.4rem;padding:.6rem}figcaption{font-size:.88rem;margin-top:.3rem}
        table.list{border-collapse:collapse;width:100%}table.list th,table.list td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e4e7eb}
        table.list td.n,table.list th.n{text-align:right;font-variant-numeric:tabular-nums}.none{color:#52606d}
        """;

    /// <summary>
    /// Renders the report, in English with culture-invariant numbers and ISO dates, or in a culture: its texts in the
    /// culture's language (English, German, French and Norwegian Bokmål are shipped; other languages fall back to
    /// English), numbers, percentages and dates as the culture writes them.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="culture">The culture; the tenant's (<see cref="PeriodReport.Culture"/>) when null, and English with culture-invariant numbers and ISO dates when that is null too.</param>
    /// <returns>The HTML document.</returns>
    public static string Render(PeriodReport report, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var t = ReportText.For(culture ?? report.Culture);
        var h = new StringBuilder();
        var title = t.Format("ReportTitle", ReportText.Isolate(report.Period.Name));
        h.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html lang=\"{E(t.Language)}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n");
        h.Append(CultureInfo.InvariantCulture, $"<h1>{E(t["ReportTitle"]).Replace("{0}", U(report.Period.Name), StringComparison.Ordinal)}</h1>\n<p class=\"meta\">{E(t.Format("Meta", t.Dates(report), t.State(report.Period.State), t.Date(report.At, report.Zone), t.Scope(report)))}</p>\n");
        h.Append(CultureInfo.InvariantCulture, $"<p class=\"score\">{E(report.IsClosed ? t["FinalScore"] : t["PeriodScore"])} {Bar(report.Summary.Score, 1)} <span class=\"p\">{E(t.Percent(report.Summary.Score))}</span></p>\n");

        h.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Heading.Tree"])}</h2>\n");
        if (report.Roots.Count == 0)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p class=\"none\">{E(t["None.Objectives"])}</p>\n");
        }
        else
        {
            h.Append("<ul class=\"tree\">\n");
            foreach (var root in report.Roots)
            {
                Node(h, t, report, root, 1);
            }

            h.Append("</ul>\n");
        }

        if (report.BurnUps.Count > 0)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>{E(report.IsClosed ? t["Heading.ChartsClosed"] : t["Heading.ChartsPace"])}</h2>\n<div class=\"charts\">\n");
            var now = report.IsClosed ? (double?)null : Math.Clamp(PaceHealthPolicy.ElapsedShare(report.Period, report.Zone, report.At), 0, 1);
            foreach (var burnUp in report.BurnUps)
            {
                Chart(h, t, report, burnUp, now);
            }

            h.Append("</div>\n");
        }

        if (report.IsClosed)
        {
            // A closed period is graded: who met, who missed, and every grade a person set, with who and why.
            h.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Heading.Missed"])}</h2>\n");
            Graded(h, t, report, report.Cut(report.Missed), t["None.Missed"], overrides: false);
            h.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Heading.Overridden"])}</h2>\n");
            Graded(h, t, report, report.Cut(report.Overridden), t["None.Overridden"], overrides: true);
        }
        else
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Heading.AtRisk"])}</h2>\n");
            List(h, t, report, report.Cut(report.AtRisk), t["None.AtRisk"]);
            h.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Heading.Stale"])}</h2>\n");
            List(h, t, report, report.Cut(report.Stale), t["None.Stale"]);
        }

        h.Append(CultureInfo.InvariantCulture, $"<h2>{E(t["Heading.Coverage"])}</h2>\n<table class=\"list\">\n<tr><th>{E(t["Column.Owner"])}</th><th class=\"n\">{E(t["Column.Objectives"])}</th><th class=\"n\">{E(t["Column.Aligned"])}</th><th class=\"n\">{E(t["Column.Share"])}</th></tr>\n");
        foreach (var c in report.Coverage)
        {
            var share = c.Objectives == 0 ? (double?)null : (double)c.Aligned / c.Objectives;
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{U(report.OwnerName(c.Owner))}</td><td class=\"n\">{E(t.Count(c.Objectives))}</td><td class=\"n\">{E(t.Count(c.Aligned))}</td><td class=\"n\">{Bar(share, 4)} {E(t.Percent(share))}</td></tr>\n");
        }

        h.Append("</table>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static void Node(StringBuilder h, ReportText t, PeriodReport report, ReportNode node, int level)
    {
        var s = node.Status;
        var o = s.Progress.Objective;
        var grade = report.GradeOf(o);
        var verdict = grade is not null ? GradeBadge(t, grade) : report.IsClosed ? StateBadge(t, o.State) : Badge(t, s.Health.Status);
        var shown = grade?.Grade.Value ?? s.Progress.Progress;
        h.Append(CultureInfo.InvariantCulture, $"<li><span class=\"o\">{U(o.Title)}</span> <span class=\"w\">{U(report.OwnerName(o.Owner))}</span> {Bar(shown, 2)} <span class=\"p\">{E(t.Percent(shown))}</span> {verdict}\n");
        if (s.KeyResults.Count > 0 && level <= (report.Options.KeyResultLevels ?? int.MaxValue))
        {
            h.Append("<table class=\"k\">\n");
            foreach (var kr in s.KeyResults)
            {
                var name = kr.Progress.KeyResult.IsCancelled ? E(t["Cancelled"]).Replace("{0}", U(kr.Progress.KeyResult.Title), StringComparison.Ordinal) : U(kr.Progress.KeyResult.Title);
                var krVerdict = kr.Progress.KeyResult.IsCancelled ? string.Empty : report.IsClosed ? MetBadge(t, kr.Progress.Progress) : Badge(t, kr.Health.Status);
                h.Append(CultureInfo.InvariantCulture, $"<tr><td>{name}</td><td>{Bar(kr.Progress.Progress, 3)}</td><td class=\"p\">{E(t.Percent(kr.Progress.Progress))}</td><td>{krVerdict}</td></tr>\n");
            }

            h.Append("</table>\n");
        }

        if (node.Children.Count > 0)
        {
            h.Append("<ul>\n");
            foreach (var child in node.Children)
            {
                Node(h, t, report, child, level + 1);
            }

            h.Append("</ul>\n");
        }

        h.Append("</li>\n");
    }

    private static void List(StringBuilder h, ReportText t, PeriodReport report, ReportList<Core.Service.KeyResultStatus> list, string none)
    {
        if (list.Total == 0)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p class=\"none\">{E(none)}</p>\n");
            return;
        }

        h.Append(CultureInfo.InvariantCulture, $"<table class=\"list\">\n<tr><th>{E(t["Column.KeyResult"])}</th><th>{E(t["Column.Objective"])}</th><th>{E(t["Column.Owner"])}</th><th class=\"n\">{E(t["Column.Progress"])}</th><th class=\"n\">{E(t["Column.Expected"])}</th><th>{E(t["Column.Health"])}</th><th>{E(t["Column.LastCheckIn"])}</th></tr>\n");
        foreach (var kr in list.Rows)
        {
            var objective = report.ObjectiveOf(kr);
            var owner = kr.Progress.KeyResult.Owner ?? objective.Owner;
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{U(kr.Progress.KeyResult.Title)}</td><td>{U(objective.Title)}</td><td>{U(report.OwnerName(owner))}</td><td class=\"n\">{E(t.Percent(kr.Progress.Progress))}</td><td class=\"n\">{E(t.Percent(kr.Health.ExpectedProgress))}</td><td>{Badge(t, kr.Health.Status)}</td><td>{E(t.LastCheckIn(kr, report.Zone))}</td></tr>\n");
        }

        h.Append("</table>\n");
        More(h, t, list.More);
    }

    private static void Graded(StringBuilder h, ReportText t, PeriodReport report, ReportList<Core.Service.ObjectiveStatus> list, string none, bool overrides)
    {
        if (list.Total == 0)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p class=\"none\">{E(none)}</p>\n");
            return;
        }

        h.Append(overrides
            ? string.Create(CultureInfo.InvariantCulture, $"<table class=\"list\">\n<tr><th>{E(t["Column.Objective"])}</th><th>{E(t["Column.Owner"])}</th><th class=\"n\">{E(t["Column.Computed"])}</th><th class=\"n\">{E(t["Column.Grade"])}</th><th>{E(t["Column.SetBy"])}</th><th>{E(t["Column.Why"])}</th></tr>\n")
            : string.Create(CultureInfo.InvariantCulture, $"<table class=\"list\">\n<tr><th>{E(t["Column.Objective"])}</th><th>{E(t["Column.Owner"])}</th><th class=\"n\">{E(t["Column.Grade"])}</th><th class=\"n\">{E(t["Column.Expected"])}</th><th></th></tr>\n"));
        foreach (var s in list.Rows)
        {
            var o = s.Progress.Objective;
            var grade = report.GradeOf(o)!;
            h.Append(overrides
                ? string.Create(CultureInfo.InvariantCulture, $"<tr><td>{U(o.Title)}</td><td>{U(report.OwnerName(o.Owner))}</td><td class=\"n\">{E(t.Percent(grade.Grade.Computed))}</td><td class=\"n\">{E(t.Percent(grade.Grade.Value))}</td><td>{U(report.OwnerName(grade.Grade.OverriddenBy!.Value))}</td><td>{U(grade.Grade.OverrideReason ?? string.Empty)}</td></tr>\n")
                : string.Create(CultureInfo.InvariantCulture, $"<tr><td>{U(o.Title)}</td><td>{U(report.OwnerName(o.Owner))}</td><td class=\"n\">{E(t.Percent(grade.Grade.Value))}</td><td class=\"n\">{E(t.Percent(grade.Expected))}</td><td>{GradeBadge(t, grade)}</td></tr>\n"));
        }

        h.Append("</table>\n");
        More(h, t, list.More);
    }

    private static void More(StringBuilder h, ReportText t, int more)
    {
        if (more > 0)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p class=\"none\">{E(t.Format("More.Html", t.Count(more)))}</p>\n");
        }
    }

    /// <summary>
    /// A key result's chart: progress after each check-in against its line (the expected pace, or 100 % to hold for a
    /// threshold or range), on a dated axis, with today marked while the period runs.
    /// </summary>
    private static void Chart(StringBuilder h, ReportText t, PeriodReport report, BurnUp burnUp, double? now)
    {
        var kr = burnUp.KeyResult;
        var top = Math.Max(1.0, burnUp.Actual.Count == 0 ? 1.0 : burnUp.Actual.Max(p => p.Progress));
        double X(double share) => Left + (share * (ChartWidth - Left - Right));
        double Y(double progress) => Top + ((1 - (progress / top)) * (ChartHeight - Top - Bottom));
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var hold = burnUp.Line == ChartLine.Hold;
        var against = hold ? t.Format("Chart.Holding", t.HoldLine(kr.Progress.KeyResult)) : t.Format("Chart.Against", t.Percent(kr.Health.ExpectedProgress));
        var label = t.Format("Chart.Label", ReportText.Isolate(kr.Progress.KeyResult.Title), t.Percent(kr.Progress.Progress), against);
        h.Append(CultureInfo.InvariantCulture, $"<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" role=\"img\" aria-label=\"{E(label)}\">\n<title>{E(label)}</title>\n");
        foreach (var level in new[] { 0.0, 0.5, 1.0 })
        {
            h.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{N(Y(level))}\" x2=\"{ChartWidth - Right}\" y2=\"{N(Y(level))}\" stroke=\"#e4e7eb\"/>");
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{N(Y(level) + 4)}\" font-size=\"10\" text-anchor=\"end\" fill=\"#52606d\">{(t.Culture is null ? string.Create(CultureInfo.InvariantCulture, $"{level * 100:0}%") : E(t.Percent(level)))}</text>\n");
        }

        // A dated axis: the period's first day, its middle and its last day.
        h.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left}\" y=\"{ChartHeight - 6}\" font-size=\"10\" fill=\"#52606d\">{E(t.DateAt(report, 0))}</text>");
        h.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{N(X(0.5))}\" y=\"{ChartHeight - 6}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#52606d\">{E(t.DateAt(report, 0.5))}</text>");
        h.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{ChartWidth - Right}\" y=\"{ChartHeight - 6}\" font-size=\"10\" text-anchor=\"end\" fill=\"#52606d\">{E(t.DateAt(report, 1))}</text>\n");
        if (now is { } today)
        {
            h.Append(CultureInfo.InvariantCulture, $"<line class=\"today\" x1=\"{N(X(today))}\" y1=\"{Top}\" x2=\"{N(X(today))}\" y2=\"{ChartHeight - Bottom}\" stroke=\"#9aa5b1\" stroke-dasharray=\"2 3\"><title>{E(t["Chart.Today"])}</title></line>\n");
        }

        var expected = string.Join(' ', burnUp.Expected.Select(p => $"{N(X(p.ElapsedShare))},{N(Y(Math.Min(p.Progress, top)))}"));
        h.Append(CultureInfo.InvariantCulture, $"<polyline class=\"{(hold ? "hold" : "expected")}\" points=\"{expected}\" fill=\"none\" stroke=\"#9aa5b1\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
        if (burnUp.Actual.Count > 0)
        {
            var colour = report.IsClosed ? (ReportText.IsMet(kr.Progress.Progress) ? "#2f855a" : "#c53030") : Colour(kr.Health.Status);
            var actual = string.Join(' ', burnUp.Actual.Select(p => $"{N(X(Math.Clamp(p.ElapsedShare, 0, 1)))},{N(Y(p.Progress))}"));
            h.Append(CultureInfo.InvariantCulture, $"<polyline class=\"actual\" points=\"{actual}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            foreach (var p in burnUp.Actual)
            {
                h.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(X(Math.Clamp(p.ElapsedShare, 0, 1)))}\" cy=\"{N(Y(p.Progress))}\" r=\"2.5\" fill=\"{colour}\"/>");
            }

            h.Append('\n');
        }
        else
        {
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(0.5))}\" y=\"{N(Y(0.5 * top))}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#52606d\">{E(t["Chart.NoCheckIns"])}</text>\n");
        }

        h.Append("</svg>\n");
        var verdict = report.IsClosed ? MetBadge(t, kr.Progress.Progress) : Badge(t, kr.Health.Status);
        var caption = hold
            ? E(t["Chart.CaptionHold"]).Replace("{0}", E(t.Percent(kr.Progress.Progress)), StringComparison.Ordinal).Replace("{1}", U(t.HoldLine(kr.Progress.KeyResult)), StringComparison.Ordinal)
            : report.IsClosed ? E(t.Percent(kr.Progress.Progress)) : E(t.Format("OfExpected", t.Percent(kr.Progress.Progress), t.Percent(kr.Health.ExpectedProgress)));
        h.Append(CultureInfo.InvariantCulture, $"<figcaption><strong>{U(kr.Progress.KeyResult.Title)}</strong> ({U(burnUp.Objective.Title)}): {caption} {verdict}</figcaption>\n</figure>\n");
    }

    /// <summary>A progress bar: a CSS box filled to the progress (no SVG per bar, so a large tree stays small).</summary>
    private static string Bar(double? progress, int size) =>
        string.Create(CultureInfo.InvariantCulture, $"<span class=\"b b{size}\"><i style=\"width:{ReportText.Fill(progress) * 100:0}%\"></i></span>");

    private static string Badge(ReportText t, HealthStatus status) =>
        $"<span class=\"h {ReportText.HealthClass(status)}\">{E(t.Health(status))}</span>";

    private static string GradeBadge(ReportText t, ReportGrade grade) =>
        $"<span class=\"h {(grade.Met ? "met" : "missed")}\">{E(grade.Met ? t["Met"] : t["Missed"])}</span>";

    private static string MetBadge(ReportText t, double? progress) =>
        $"<span class=\"h {(ReportText.IsMet(progress) ? "met" : "missed")}\">{E(t.Met(progress))}</span>";

    private static string StateBadge(ReportText t, Core.ObjectiveState state) =>
        $"<span class=\"h state\">{E(t.State(state))}</span>";

    private static string Colour(HealthStatus status) => status switch
    {
        HealthStatus.OnTrack => "#2f855a",
        HealthStatus.AtRisk => "#b7791f",
        HealthStatus.OffTrack => "#c53030",
        HealthStatus.Stale => "#6b46c1",
        _ => "#718096",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>User text in element content: encoded and isolated in <c>&lt;bdi&gt;</c>, so its direction cannot spill over.</summary>
    private static string U(string text) => $"<bdi>{E(text)}</bdi>";

}
