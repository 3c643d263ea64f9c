using System.Globalization;
using System.Net;
using System.Text;
using Okr.Core.Health;

namespace Okr.Reporting;

/// <summary>
/// Renders a <see cref="PeriodReport"/> as one self-contained HTML file: inline CSS and inline SVG, no scripts,
/// no external assets, so it can be mailed, archived or opened offline. It shows the alignment tree with
/// progress bars and health, each key result's burn-up chart against the expected pace, the at-risk and stale
/// lists and alignment coverage.
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
        ul.tree li{margin:.35rem 0}.objective{font-weight:600}.owner{color:#52606d;font-weight:400}
        .krs{margin:.2rem 0 .4rem 1.4rem;border-collapse:collapse;font-size:.92rem}.krs td{padding:.1rem .6rem .1rem 0}
        .bar{vertical-align:middle}.pct{display:inline-block;min-width:3.2rem;text-align:right;font-variant-numeric:tabular-nums}
        .health{display:inline-block;border-radius:.8rem;padding:0 .55rem;font-size:.8rem;font-weight:600;color:#fff}
        .on-track{background:#2f855a}.at-risk{background:#b7791f}.off-track{background:#c53030}.stale{background:#6b46c1}.no-data{background:#718096}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:1rem}
        figure{margin:0;border:1px solid #d9e2ec;border-radius:.4rem;padding:.6rem}figcaption{font-size:.88rem;margin-top:.3rem}
        table.list{border-collapse:collapse;width:100%}table.list th,table.list td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e4e7eb}
        table.list td.n,table.list th.n{text-align:right;font-variant-numeric:tabular-nums}.none{color:#52606d}
        """;

    /// <summary>Renders the report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The HTML document.</returns>
    public static string Render(PeriodReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var h = new StringBuilder();
        var title = $"{ReportText.Isolate(report.Period.Name)}: OKR report";
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n");
        h.Append(CultureInfo.InvariantCulture, $"<h1>{U(report.Period.Name)}: OKR report</h1>\n<p class=\"meta\">{E(ReportText.Dates(report))}, {E(report.Period.State.ToString())}; as of {ReportText.Date(report.At, report.Zone)}.</p>\n");
        h.Append(CultureInfo.InvariantCulture, $"<p class=\"score\">Period score {Bar(report.Summary.Score, 160)} <span class=\"pct\">{E(ReportText.Percent(report.Summary.Score))}</span></p>\n");

        h.Append("<h2>Alignment tree</h2>\n");
        if (report.Roots.Count == 0)
        {
            h.Append("<p class=\"none\">No objectives.</p>\n");
        }
        else
        {
            h.Append("<ul class=\"tree\">\n");
            foreach (var root in report.Roots)
            {
                Node(h, root);
            }

            h.Append("</ul>\n");
        }

        h.Append("<h2>Key results against the expected pace</h2>\n<div class=\"charts\">\n");
        var now = Math.Clamp(PaceHealthPolicy.ElapsedShare(report.Period, report.Zone, report.At), 0, 1);
        foreach (var burnUp in report.BurnUps)
        {
            Chart(h, burnUp, now);
        }

        h.Append("</div>\n");
        h.Append("<h2>At risk</h2>\n");
        List(h, report, report.AtRisk, "Nothing is at risk or off track.");
        h.Append("<h2>Stale</h2>\n");
        List(h, report, report.Stale, "Every key result has a recent check-in.");

        h.Append("<h2>Alignment coverage</h2>\n<table class=\"list\">\n<tr><th>owner</th><th class=\"n\">objectives</th><th class=\"n\">aligned</th><th class=\"n\">share</th></tr>\n");
        foreach (var c in report.Coverage)
        {
            var share = c.Objectives == 0 ? (double?)null : (double)c.Aligned / c.Objectives;
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{U(c.Owner.ToString())}</td><td class=\"n\">{c.Objectives}</td><td class=\"n\">{c.Aligned}</td><td class=\"n\">{Bar(share, 60)} {E(ReportText.Percent(share))}</td></tr>\n");
        }

        h.Append("</table>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static void Node(StringBuilder h, ReportNode node)
    {
        var s = node.Status;
        var o = s.Progress.Objective;
        h.Append(CultureInfo.InvariantCulture, $"<li><span class=\"objective\">{U(o.Title)}</span> <span class=\"owner\">{U(o.Owner.ToString())}</span> {Bar(s.Progress.Progress, 120)} <span class=\"pct\">{E(ReportText.Percent(s.Progress.Progress))}</span> {Badge(s.Health.Status)}\n");
        if (s.KeyResults.Count > 0)
        {
            h.Append("<table class=\"krs\">\n");
            foreach (var kr in s.KeyResults)
            {
                var name = kr.Progress.KeyResult.IsCancelled ? kr.Progress.KeyResult.Title + " (cancelled)" : kr.Progress.KeyResult.Title;
                h.Append(CultureInfo.InvariantCulture, $"<tr><td>{U(name)}</td><td>{Bar(kr.Progress.Progress, 100)}</td><td class=\"pct\">{E(ReportText.Percent(kr.Progress.Progress))}</td><td>{Badge(kr.Health.Status)}</td></tr>\n");
            }

            h.Append("</table>\n");
        }

        if (node.Children.Count > 0)
        {
            h.Append("<ul>\n");
            foreach (var child in node.Children)
            {
                Node(h, child);
            }

            h.Append("</ul>\n");
        }

        h.Append("</li>\n");
    }

    private static void List(StringBuilder h, PeriodReport report, IReadOnlyList<Core.Service.KeyResultStatus> list, string none)
    {
        if (list.Count == 0)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p class=\"none\">{E(none)}</p>\n");
            return;
        }

        h.Append("<table class=\"list\">\n<tr><th>key result</th><th>objective</th><th class=\"n\">progress</th><th class=\"n\">expected</th><th>health</th><th>last check-in</th></tr>\n");
        foreach (var kr in list)
        {
            var objective = report.ObjectiveOf(kr);
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{U(kr.Progress.KeyResult.Title)}</td><td>{U(objective.Title)}</td><td class=\"n\">{E(ReportText.Percent(kr.Progress.Progress))}</td><td class=\"n\">{E(ReportText.Percent(kr.Health.ExpectedProgress))}</td><td>{Badge(kr.Health.Status)}</td><td>{E(ReportText.LastCheckIn(kr, report.Zone))}</td></tr>\n");
        }

        h.Append("</table>\n");
    }

    /// <summary>A key result's burn-up: progress after each check-in against the expected pace, with today marked.</summary>
    private static void Chart(StringBuilder h, BurnUp burnUp, double now)
    {
        var kr = burnUp.KeyResult;
        var top = Math.Max(1.0, burnUp.Actual.Count == 0 ? 1.0 : burnUp.Actual.Max(p => p.Progress));
        double X(double share) => Left + (share * (ChartWidth - Left - Right));
        double Y(double progress) => Top + ((1 - (progress / top)) * (ChartHeight - Top - Bottom));
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var label = $"{ReportText.Isolate(kr.Progress.KeyResult.Title)}: {ReportText.Percent(kr.Progress.Progress)} against {ReportText.Percent(kr.Health.ExpectedProgress)} expected";
        h.Append(CultureInfo.InvariantCulture, $"<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" role=\"img\" aria-label=\"{E(label)}\">\n<title>{E(label)}</title>\n");
        foreach (var level in new[] { 0.0, 0.5, 1.0 })
        {
            h.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{N(Y(level))}\" x2=\"{ChartWidth - Right}\" y2=\"{N(Y(level))}\" stroke=\"#e4e7eb\"/>");
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{N(Y(level) + 4)}\" font-size=\"10\" text-anchor=\"end\" fill=\"#52606d\">{level * 100:0}%</text>\n");
        }

        h.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{ChartHeight - 6}\" font-size=\"10\" fill=\"#52606d\">start</text><text x=\"{ChartWidth - Right}\" y=\"{ChartHeight - 6}\" font-size=\"10\" text-anchor=\"end\" fill=\"#52606d\">end</text>\n");
        h.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(X(now))}\" y1=\"{Top}\" x2=\"{N(X(now))}\" y2=\"{ChartHeight - Bottom}\" stroke=\"#9aa5b1\" stroke-dasharray=\"2 3\"/>");
        if (now is > 0.12 and < 0.88)
        {
            // Near either end the label would sit on "start" or "end"; the line alone marks today there.
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(now))}\" y=\"{ChartHeight - 6}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#52606d\">today</text>");
        }

        h.Append('\n');
        var expected = string.Join(' ', burnUp.Expected.Select(p => $"{N(X(p.ElapsedShare))},{N(Y(Math.Min(p.Progress, top)))}"));
        h.Append(CultureInfo.InvariantCulture, $"<polyline class=\"expected\" points=\"{expected}\" fill=\"none\" stroke=\"#9aa5b1\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
        if (burnUp.Actual.Count > 0)
        {
            var colour = Colour(kr.Health.Status);
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
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(0.5))}\" y=\"{N(Y(0.5 * top))}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#52606d\">no check-ins yet</text>\n");
        }

        h.Append("</svg>\n");
        h.Append(CultureInfo.InvariantCulture, $"<figcaption><strong>{U(kr.Progress.KeyResult.Title)}</strong> ({U(burnUp.Objective.Title)}): {E(ReportText.Percent(kr.Progress.Progress))} of {E(ReportText.Percent(kr.Health.ExpectedProgress))} expected {Badge(kr.Health.Status)}</figcaption>\n</figure>\n");
    }

    private static string Bar(double? progress, int width)
    {
        var fill = ReportText.Fill(progress) * width;
        return string.Create(CultureInfo.InvariantCulture, $"<svg class=\"bar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"10\" viewBox=\"0 0 {width} 10\" aria-hidden=\"true\"><rect width=\"{width}\" height=\"10\" rx=\"3\" fill=\"#e4e7eb\"/><rect width=\"{fill:0.#}\" height=\"10\" rx=\"3\" fill=\"#3182ce\"/></svg>");
    }

    private static string Badge(HealthStatus status) =>
        $"<span class=\"health {ReportText.Health(status).Replace(' ', '-')}\">{ReportText.Health(status)}</span>";

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
