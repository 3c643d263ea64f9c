using System.Globalization;
using System.Text;

namespace Okr.Reporting;

/// <summary>Renders a <see cref="PeriodReport"/> as Markdown (CommonMark with pipe tables), for wikis, pull requests and e-mail.</summary>
public static class MarkdownReport
{
    /// <summary>
    /// Renders the report, in English with culture-invariant numbers and ISO dates, or in a culture: its texts in the culture's language (English, German, French and Norwegian
    /// Bokmål are shipped; other languages fall back to English), numbers, percentages and dates as the culture writes them.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="culture">The culture; the tenant's (<see cref="PeriodReport.Culture"/>) when null, and English with culture-invariant numbers and ISO dates when that is null too.</param>
    /// <returns>The Markdown text.</returns>
    public static string Render(PeriodReport report, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var t = ReportText.For(culture ?? report.Culture);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {t.Format("ReportTitle", Escape(report.Period.Name))}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{EscapeMarkdown(t.Format("Meta", t.Dates(report), t.State(report.Period.State), t.Date(report.At, report.Zone), string.Empty))} ");
        md.Append(CultureInfo.InvariantCulture, $"{t.Format("ScoreLine", report.IsClosed ? t["FinalScore"] : t["PeriodScore"], t.Percent(report.Summary.Score))}\n\n");

        md.Append(CultureInfo.InvariantCulture, $"## {t["Heading.Tree"]}\n\n");
        if (report.Roots.Count == 0)
        {
            md.Append(t["None.Objectives"]).Append('\n');
        }

        foreach (var root in report.Roots)
        {
            Node(md, t, report, root, 0);
        }

        if (report.IsClosed)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {t["Heading.Missed"]}\n\n");
            Graded(md, t, report, report.Cut(report.Missed), t["None.Missed"]);
            md.Append(CultureInfo.InvariantCulture, $"\n## {t["Heading.Overridden"]}\n\n");
            var overridden = report.Cut(report.Overridden);
            if (overridden.Total == 0)
            {
                md.Append(t["None.Overridden"]).Append('\n');
            }

            foreach (var s in overridden.Rows)
            {
                md.Append(CultureInfo.InvariantCulture, $"- **{Escape(s.Progress.Objective.Title)}**: {Escape(t.Override(report, s.Progress.Objective.Grade!))}\n");
            }

            More(md, t, overridden.More);
        }
        else
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {t["Heading.AtRisk"]}\n\n");
            KeyResults(md, t, report, report.Cut(report.AtRisk), t["None.AtRisk"]);
            md.Append(CultureInfo.InvariantCulture, $"\n## {t["Heading.Stale"]}\n\n");
            KeyResults(md, t, report, report.Cut(report.Stale), t["None.Stale"]);
        }

        md.Append(CultureInfo.InvariantCulture, $"\n## {t["Heading.Coverage"]}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"| {t["Column.Owner"]} | {t["Column.Objectives"]} | {t["Column.Aligned"]} | {t["Column.Share"]} |\n| --- | ---: | ---: | ---: |\n");
        foreach (var c in report.Coverage)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(report.OwnerName(c.Owner))} | {t.Count(c.Objectives)} | {t.Count(c.Aligned)} | {t.Percent(c.Objectives == 0 ? null : (double)c.Aligned / c.Objectives)} |\n");
        }

        return md.ToString();
    }

    private static void Node(StringBuilder md, ReportText t, PeriodReport report, ReportNode node, int depth)
    {
        var o = node.Status.Progress.Objective;
        var indent = new string(' ', depth * 2);
        var verdict = report.GradeOf(o) is { } grade ? t.Format("Graded", t.Grade(grade))
            : report.IsClosed ? $"{t.Percent(node.Status.Progress.Progress)}, {t.State(o.State)}"
            : $"{t.Percent(node.Status.Progress.Progress)}, {t.Health(node.Status.Health.Status)}";
        md.Append(CultureInfo.InvariantCulture, $"{indent}- **{Escape(o.Title)}** ({Escape(report.OwnerName(o.Owner))}): {verdict}\n");
        foreach (var kr in depth < (report.Options.KeyResultLevels ?? int.MaxValue) ? node.Status.KeyResults : [])
        {
            var title = kr.Progress.KeyResult.IsCancelled ? t.Format("Cancelled", Escape(kr.Progress.KeyResult.Title)) : Escape(kr.Progress.KeyResult.Title);
            var krVerdict = kr.Progress.KeyResult.IsCancelled ? string.Empty : ", " + (report.IsClosed ? t.Met(kr.Progress.Progress) : t.Health(kr.Health.Status));
            md.Append(CultureInfo.InvariantCulture, $"{indent}  - {title}: {t.Percent(kr.Progress.Progress)}{krVerdict}\n");
        }

        foreach (var child in node.Children)
        {
            Node(md, t, report, child, depth + 1);
        }
    }

    private static void Graded(StringBuilder md, ReportText t, PeriodReport report, ReportList<Core.Service.ObjectiveStatus> list, string none)
    {
        if (list.Total == 0)
        {
            md.Append(none).Append('\n');
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"| {t["Column.Objective"]} | {t["Column.Owner"]} | {t["Column.Grade"]} | {t["Column.Expected"]} |\n| --- | --- | ---: | ---: |\n");
        foreach (var s in list.Rows)
        {
            var grade = report.GradeOf(s.Progress.Objective)!;
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(s.Progress.Objective.Title)} | {Escape(report.OwnerName(s.Progress.Objective.Owner))} | {t.Percent(grade.Grade.Value)} | {t.Percent(grade.Expected)} |\n");
        }

        More(md, t, list.More);
    }

    private static void More(StringBuilder md, ReportText t, int more)
    {
        if (more > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n{t.Format("More.Markdown", t.Count(more))}\n");
        }
    }

    private static void KeyResults(StringBuilder md, ReportText t, PeriodReport report, ReportList<Core.Service.KeyResultStatus> list, string none)
    {
        if (list.Total == 0)
        {
            md.Append(none).Append('\n');
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"| {t["Column.KeyResult"]} | {t["Column.Objective"]} | {t["Column.Owner"]} | {t["Column.Progress"]} | {t["Column.Expected"]} | {t["Column.Health"]} | {t["Column.LastCheckIn"]} |\n| --- | --- | --- | ---: | ---: | --- | --- |\n");
        foreach (var kr in list.Rows)
        {
            var objective = report.ObjectiveOf(kr);
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(kr.Progress.KeyResult.Title)} | {Escape(objective.Title)} | {Escape(report.OwnerName(kr.Progress.KeyResult.Owner ?? objective.Owner))} | {t.Percent(kr.Progress.Progress)} | {t.Percent(kr.Health.ExpectedProgress)} | {t.Health(kr.Health.Status)} | {t.LastCheckIn(kr, report.Zone)} |\n");
        }

        More(md, t, list.More);
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
