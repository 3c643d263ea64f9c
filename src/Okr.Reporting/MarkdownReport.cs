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
            Node(md, report, root, 0);
        }

        if (report.IsClosed)
        {
            md.Append("\n## Missed\n\n");
            Graded(md, report, report.Cut(report.Missed), "Every graded objective met its expectation.");
            md.Append("\n## Grades set by a person\n\n");
            var overridden = report.Cut(report.Overridden);
            if (overridden.Total == 0)
            {
                md.Append("No grade was overridden.\n");
            }

            foreach (var s in overridden.Rows)
            {
                md.Append(CultureInfo.InvariantCulture, $"- **{Escape(s.Progress.Objective.Title)}**: {Escape(ReportText.Override(report, s.Progress.Objective.Grade!))}\n");
            }

            More(md, overridden.More);
        }
        else
        {
            md.Append("\n## At risk\n\n");
            KeyResults(md, report, report.Cut(report.AtRisk), "Nothing is at risk or off track.");
            md.Append("\n## Stale\n\n");
            KeyResults(md, report, report.Cut(report.Stale), "Every key result has a recent check-in.");
        }

        md.Append("\n## Alignment coverage\n\n");
        md.Append("| owner | objectives | aligned | share |\n| --- | ---: | ---: | ---: |\n");
        foreach (var c in report.Coverage)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(report.OwnerName(c.Owner))} | {c.Objectives} | {c.Aligned} | {ReportText.Percent(c.Objectives == 0 ? null : (double)c.Aligned / c.Objectives)} |\n");
        }

        return md.ToString();
    }

    private static void Node(StringBuilder md, PeriodReport report, ReportNode node, int depth)
    {
        var o = node.Status.Progress.Objective;
        var indent = new string(' ', depth * 2);
        var verdict = report.GradeOf(o) is { } grade ? "graded " + ReportText.Grade(grade)
            : report.IsClosed ? $"{ReportText.Percent(node.Status.Progress.Progress)}, {o.State.ToString().ToLowerInvariant()}"
            : $"{ReportText.Percent(node.Status.Progress.Progress)}, {ReportText.Health(node.Status.Health.Status)}";
        md.Append(CultureInfo.InvariantCulture, $"{indent}- **{Escape(o.Title)}** ({Escape(report.OwnerName(o.Owner))}): {verdict}\n");
        foreach (var kr in depth < (report.Options.KeyResultLevels ?? int.MaxValue) ? node.Status.KeyResults : [])
        {
            var cancelled = kr.Progress.KeyResult.IsCancelled ? " (cancelled)" : string.Empty;
            var krVerdict = kr.Progress.KeyResult.IsCancelled ? string.Empty : ", " + (report.IsClosed ? ReportText.Met(kr.Progress.Progress) : ReportText.Health(kr.Health.Status));
            md.Append(CultureInfo.InvariantCulture, $"{indent}  - {Escape(kr.Progress.KeyResult.Title)}{cancelled}: {ReportText.Percent(kr.Progress.Progress)}{krVerdict}\n");
        }

        foreach (var child in node.Children)
        {
            Node(md, report, child, depth + 1);
        }
    }

    private static void Graded(StringBuilder md, PeriodReport report, ReportList<Core.Service.ObjectiveStatus> list, string none)
    {
        if (list.Total == 0)
        {
            md.Append(none).Append('\n');
            return;
        }

        md.Append("| objective | owner | grade | expected |\n| --- | --- | ---: | ---: |\n");
        foreach (var s in list.Rows)
        {
            var grade = report.GradeOf(s.Progress.Objective)!;
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(s.Progress.Objective.Title)} | {Escape(report.OwnerName(s.Progress.Objective.Owner))} | {ReportText.Percent(grade.Grade.Value)} | {ReportText.Percent(grade.Expected)} |\n");
        }

        More(md, list.More);
    }

    private static void More(StringBuilder md, int more)
    {
        if (more > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n… and {more} more.\n");
        }
    }

    private static void KeyResults(StringBuilder md, PeriodReport report, ReportList<Core.Service.KeyResultStatus> list, string none)
    {
        if (list.Total == 0)
        {
            md.Append(none).Append('\n');
            return;
        }

        md.Append("| key result | objective | owner | progress | expected | health | last check-in |\n| --- | --- | --- | ---: | ---: | --- | --- |\n");
        foreach (var kr in list.Rows)
        {
            var objective = report.ObjectiveOf(kr);
            md.Append(CultureInfo.InvariantCulture, $"| {Escape(kr.Progress.KeyResult.Title)} | {Escape(objective.Title)} | {Escape(report.OwnerName(kr.Progress.KeyResult.Owner ?? objective.Owner))} | {ReportText.Percent(kr.Progress.Progress)} | {ReportText.Percent(kr.Health.ExpectedProgress)} | {ReportText.Health(kr.Health.Status)} | {ReportText.LastCheckIn(kr, report.Zone)} |\n");
        }

        More(md, list.More);
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
