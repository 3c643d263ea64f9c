using System.Globalization;
using System.Text;

namespace Okr.Reporting;

/// <summary>Renders a <see cref="PeriodReport"/> as Markdown (CommonMark with pipe tables), for wikis, pull requests and e-mail.</summary>
public static class MarkdownReport
{
    /// <summary>Renders the report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The Markdown text.</returns>
    public static string Render(PeriodReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {Escape(report.Period.Name)}: OKR report\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{ReportText.Dates(report)}, {report.Period.State}; as of {ReportText.Date(report.At, report.Zone)}. ");
        md.Append(CultureInfo.InvariantCulture, $"Period score: **{ReportText.Percent(report.Summary.Score)}**.\n\n");

        md.Append("## Alignment tree\n\n");
        if (report.Roots.Count == 0)
        {
            md.Append("No objectives.\n");
        }

        foreach (var root in report.Roots)
        {
            Node(md, root, 0);
        }

        md.Append("\n## At risk\n\n");
        KeyResults(md, report, report.AtRisk, "Nothing is at risk or off track.");
        md.Append("\n## Stale\n\n");
        KeyResults(md, report, report.Stale, "Every key result has a recent check-in.");

        md.Append("\n## Alignment coverage\n\n");
        md.Append("| owner | objectives | aligned | share |\n| --- | ---: | ---: | ---: |\n");
        foreach (var c in report.Coverage)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(c.Owner.ToString())} | {c.Objectives} | {c.Aligned} | {ReportText.Percent(c.Objectives == 0 ? null : (double)c.Aligned / c.Objectives)} |\n");
        }

        return md.ToString();
    }

    private static void Node(StringBuilder md, ReportNode node, int depth)
    {
        var o = node.Status.Progress.Objective;
        var indent = new string(' ', depth * 2);
        md.Append(CultureInfo.InvariantCulture, $"{indent}- **{Escape(o.Title)}** ({Escape(o.Owner.ToString())}): {ReportText.Percent(node.Status.Progress.Progress)}, {ReportText.Health(node.Status.Health.Status)}\n");
        foreach (var kr in node.Status.KeyResults)
        {
            var cancelled = kr.Progress.KeyResult.IsCancelled ? " (cancelled)" : string.Empty;
            md.Append(CultureInfo.InvariantCulture, $"{indent}  - {Escape(kr.Progress.KeyResult.Title)}{cancelled}: {ReportText.Percent(kr.Progress.Progress)}, {ReportText.Health(kr.Health.Status)}\n");
        }

        foreach (var child in node.Children)
        {
            Node(md, child, depth + 1);
        }
    }

    private static void KeyResults(StringBuilder md, PeriodReport report, IReadOnlyList<Core.Service.KeyResultStatus> list, string none)
    {
        if (list.Count == 0)
        {
            md.Append(none).Append('\n');
            return;
        }

        md.Append("| key result | objective | progress | expected | health | last check-in |\n| --- | --- | ---: | ---: | --- | --- |\n");
        foreach (var kr in list)
        {
            var objective = report.ObjectiveOf(kr);
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(kr.Progress.KeyResult.Title)} | {Escape(objective.Title)} | {ReportText.Percent(kr.Progress.Progress)} | {ReportText.Percent(kr.Health.ExpectedProgress)} | {ReportText.Health(kr.Health.Status)} | {ReportText.LastCheckIn(kr, report.Zone)} |\n");
        }
    }

    /// <summary>Escapes the characters that would change Markdown's reading of user text.</summary>
    private static string Escape(string text) => ReportText.Isolate(EscapeMarkdown(text));

    private static string EscapeMarkdown(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '`' or '|' or '[' or ']' or '<' or '>' or '#')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
