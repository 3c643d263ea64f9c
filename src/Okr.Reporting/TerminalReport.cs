using System.Globalization;
using Okr.Core.Health;

namespace Okr.Reporting;

/// <summary>How <see cref="TerminalReport"/> draws.</summary>
public sealed record TerminalReportOptions
{
    /// <summary>ANSI colours and box-drawing characters; false gives plain ASCII (for files, pipes and logs).</summary>
    public bool Rich { get; init; }

    /// <summary>The width of a progress bar in characters; 4..80, 20 by default.</summary>
    public int BarWidth { get; init; } = 20;

    /// <summary>
    /// The culture of the texts (English, German, French and Norwegian Bokmål are shipped; other languages fall back to
    /// English), numbers, percentages and dates; the tenant's (<see cref="PeriodReport.Culture"/>) when null, and English with culture-invariant numbers and ISO dates when that is null too.
    /// </summary>
    public CultureInfo? Culture { get; init; }

    /// <summary>
    /// Rich output when the console is a terminal: not when output is redirected, not when <c>NO_COLOR</c> is set,
    /// not when <c>TERM</c> is <c>dumb</c>.
    /// </summary>
    /// <returns>The options for this process's console.</returns>
    public static TerminalReportOptions ForConsole() => new()
    {
        Rich = !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal),
    };
}

/// <summary>
/// Writes a <see cref="PeriodReport"/> for a terminal: the alignment tree with a progress bar and health per
/// objective and key result, then the at-risk and stale lists and coverage. Plain ASCII with no escape codes
/// unless <see cref="TerminalReportOptions.Rich"/>.
/// </summary>
public static class TerminalReport
{
    private const string Reset = "\u001b[0m";

    /// <summary>Writes the report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Where to write, for example <see cref="Console.Out"/>.</param>
    /// <param name="options">How to draw; <see cref="TerminalReportOptions.ForConsole"/> when null.</param>
    public static void Write(PeriodReport report, TextWriter writer, TerminalReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= TerminalReportOptions.ForConsole();
        if (options.BarWidth is < 4 or > 80)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BarWidth, "BarWidth must lie between 4 and 80.");
        }

        var t = ReportText.For(options.Culture ?? report.Culture);
        var d = new Drawing(options, t);
        writer.WriteLine(d.Bold(t.Format("ReportTitle", ReportText.Isolate(report.Period.Name))) + " " + t.Format("TerminalMeta", t.Dates(report), t.Date(report.At, report.Zone)));
        writer.WriteLine($"{(report.IsClosed ? t["FinalScore"] : t["PeriodScore"])} {d.Bar(report.Summary.Score)} {t.Percent(report.Summary.Score)}");
        writer.WriteLine();
        for (var i = 0; i < report.Roots.Count; i++)
        {
            Node(writer, d, t, report, report.Roots[i], string.Empty, i == report.Roots.Count - 1, 1);
        }

        writer.WriteLine();
        if (report.IsClosed)
        {
            var missed = report.Cut(report.Missed);
            writer.WriteLine(d.Bold($"{t["Heading.Missed"]} ({t.Count(missed.Total)})"));
            foreach (var s in missed.Rows)
            {
                writer.WriteLine($"  {ReportText.Isolate(s.Progress.Objective.Title)} ({ReportText.Isolate(report.OwnerName(s.Progress.Objective.Owner))}): {t.Grade(report.GradeOf(s.Progress.Objective)!)}");
            }

            More(writer, t, missed.More);
            var overridden = report.Cut(report.Overridden);
            writer.WriteLine(d.Bold($"{t["Heading.Overridden"]} ({t.Count(overridden.Total)})"));
            foreach (var s in overridden.Rows)
            {
                writer.WriteLine($"  {ReportText.Isolate(s.Progress.Objective.Title)}: {ReportText.Isolate(t.Override(report, s.Progress.Objective.Grade!))}");
            }

            More(writer, t, overridden.More);
        }
        else
        {
            List(writer, d, t, report, t["Heading.AtRisk"], report.Cut(report.AtRisk));
            List(writer, d, t, report, t["Heading.Stale"], report.Cut(report.Stale));
        }

        writer.WriteLine(d.Bold(t["Heading.Coverage"]));
        foreach (var c in report.Coverage)
        {
            writer.WriteLine("  " + t.Format("Coverage", ReportText.Isolate(report.OwnerName(c.Owner)), t.Count(c.Aligned), t.Count(c.Objectives)));
        }
    }

    private static void Node(TextWriter writer, Drawing d, ReportText t, PeriodReport report, ReportNode node, string prefix, bool last, int level)
    {
        var status = node.Status;
        var o = status.Progress.Objective;
        var grade = report.GradeOf(o);
        var shown = grade?.Grade.Value ?? status.Progress.Progress;
        var verdict = grade is not null ? (grade.Met ? t["Met"] : t["Missed"]) : report.IsClosed ? t.State(o.State) : d.Health(status.Health.Status);
        writer.WriteLine($"{prefix}{(last ? d.Last : d.Branch)}{d.Bold(ReportText.Isolate(o.Title))} ({ReportText.Isolate(report.OwnerName(o.Owner))})  {d.Bar(shown)} {t.Percent(shown),5}  {verdict}");
        var inner = prefix + (last ? "   " : d.Pipe);
        foreach (var kr in level <= (report.Options.KeyResultLevels ?? int.MaxValue) ? status.KeyResults : [])
        {
            var title = kr.Progress.KeyResult.IsCancelled ? t.Format("Cancelled", ReportText.Isolate(kr.Progress.KeyResult.Title)) : ReportText.Isolate(kr.Progress.KeyResult.Title);
            var krVerdict = kr.Progress.KeyResult.IsCancelled ? string.Empty : report.IsClosed ? t.Met(kr.Progress.Progress) : d.Health(kr.Health.Status);
            writer.WriteLine($"{inner}{d.Dot}{title}  {d.Bar(kr.Progress.Progress)} {t.Percent(kr.Progress.Progress),5}  {krVerdict}");
        }

        for (var i = 0; i < node.Children.Count; i++)
        {
            Node(writer, d, t, report, node.Children[i], inner, i == node.Children.Count - 1, level + 1);
        }
    }

    private static void List(TextWriter writer, Drawing d, ReportText t, PeriodReport report, string title, ReportList<Core.Service.KeyResultStatus> list)
    {
        writer.WriteLine(d.Bold($"{title} ({t.Count(list.Total)})"));
        foreach (var kr in list.Rows)
        {
            var owner = kr.Progress.KeyResult.Owner ?? report.ObjectiveOf(kr).Owner;
            writer.WriteLine($"  {ReportText.Isolate(kr.Progress.KeyResult.Title)} ({ReportText.Isolate(report.OwnerName(owner))}): {t.Format("KeyResultLine", t.Percent(kr.Progress.Progress), t.Percent(kr.Health.ExpectedProgress), d.Health(kr.Health.Status), t.LastCheckIn(kr, report.Zone))}");
        }

        More(writer, t, list.More);
    }

    private static void More(TextWriter writer, ReportText t, int more)
    {
        if (more > 0)
        {
            writer.WriteLine("  " + t.Format("More.Terminal", t.Count(more)));
        }

        writer.WriteLine();
    }

    private sealed class Drawing(TerminalReportOptions options, ReportText t)
    {
        public string Branch => options.Rich ? "├─ " : "+- ";

        public string Last => options.Rich ? "└─ " : "`- ";

        public string Pipe => options.Rich ? "│  " : "|  ";

        public string Dot => options.Rich ? "• " : "* ";

        public string Bold(string text) => options.Rich ? $"\u001b[1m{text}{Reset}" : text;

        public string Bar(double? progress)
        {
            var filled = (int)Math.Round(ReportText.Fill(progress) * options.BarWidth, MidpointRounding.AwayFromZero);
            return options.Rich
                ? "\u001b[36m" + new string('█', filled) + "\u001b[90m" + new string('░', options.BarWidth - filled) + Reset
                : "[" + new string('#', filled) + new string('.', options.BarWidth - filled) + "]";
        }

        public string Health(HealthStatus status)
        {
            var text = t.Health(status);
            if (!options.Rich)
            {
                return text;
            }

            var colour = status switch
            {
                HealthStatus.OnTrack => "\u001b[32m",
                HealthStatus.AtRisk => "\u001b[33m",
                HealthStatus.OffTrack => "\u001b[31m",
                HealthStatus.Stale => "\u001b[35m",
                _ => "\u001b[90m",
            };
            return colour + text + Reset;
        }
    }
}
