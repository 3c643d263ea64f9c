using System.Text.RegularExpressions;
using System.Xml.Linq;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Health;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Reporting.Tests;

/// <summary>
/// A small quarter: a company objective with two aligned team objectives. Sales checks in weekly and keeps pace;
/// Support fell behind; one key result was never checked in (stale), one was corrected.
/// </summary>
public class ReportTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 9, 0);
    private readonly FakeClock _clock = new(Start);
    private readonly TenantId _tenant = new(Guid.NewGuid());
    private readonly OkrService _okr;
    private OkrPeriod _quarter = null!;
    private Objective _company = null!;
    private Objective _sales = null!;
    private Objective _support = null!;

    public ReportTests() => _okr = new OkrService(_store, _clock);

    private readonly InMemoryOkrStore _store = new();

    private static KeyResult Kr(string title, decimal target = 100) => new(new KeyResultId(Guid.NewGuid()), title, new IncreaseMeasure(0, target));

    private async Task<PeriodReport> PlayHalfAQuarter()
    {
        _quarter = await _okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        await _okr.Periods.ActivateAsync(_tenant, _quarter.Id);
        _company = await Create("Win the <b>Q&A</b> market", OwnerRef.OrganizationUnit("company"), [Kr("Revenue"), Kr("NPS"), Kr("Retention")]);
        _sales = await Create("Sales grows", OwnerRef.Team("sales"), [Kr("Deals"), Kr("Pipeline"), Kr("Never checked")], new AlignmentLink(_company.Id));
        _support = await Create("Support delights", OwnerRef.Team("support"), [Kr("CSAT"), Kr("Response time"), Kr("Docs")], new AlignmentLink(_company.Id));

        // Seven weekly check-ins: sales on pace, support far behind; the company measures revenue and NPS.
        for (var week = 1; week <= 7; week++)
        {
            _clock.Advance(Duration.FromDays(7));
            await CheckIn(_sales.KeyResults[0], week * 8);
            await CheckIn(_sales.KeyResults[1], week * 8);
            await CheckIn(_support.KeyResults[0], week * 2);
            await CheckIn(_support.KeyResults[1], week * 2);
            await CheckIn(_support.KeyResults[2], week * 2);
            await CheckIn(_company.KeyResults[0], week * 7);
            await CheckIn(_company.KeyResults[1], week * 7);
            await CheckIn(_company.KeyResults[2], week * 7);
        }

        // Week 7's NPS was typed wrong: 49 became 94, corrected the same day.
        var history = await _okr.CheckIns.HistoryAsync(_tenant, _company.KeyResults[1].Id);
        await _okr.CheckIns.CorrectAsync(_tenant, history[^1].Id, 94, OwnerRef.Person("ann"), "typo");
        return await PeriodReport.CreateAsync(_okr, _tenant, _quarter.Id);
    }

    private async Task<Objective> Create(string title, OwnerRef owner, KeyResult[] krs, params AlignmentLink[] links)
    {
        var o = await _okr.Objectives.CreateAsync(_tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), _quarter.Id, title, owner, _clock, keyResults: krs, alignments: links));
        return await _okr.Objectives.ActivateAsync(_tenant, o.Id);
    }

    private Task<CheckIn> CheckIn(KeyResult kr, decimal value) => _okr.CheckIns.RecordAsync(_tenant, kr.Id, value, OwnerRef.Person("ann")).AsTask();

    [Fact]
    public async Task The_tree_puts_aligned_objectives_under_their_parent()
    {
        var report = await PlayHalfAQuarter();

        var root = Assert.Single(report.Roots);
        Assert.Equal(_company.Id, root.Status.Progress.Objective.Id);
        Assert.Equal(["Sales grows", "Support delights"], root.Children.Select(c => c.Status.Progress.Objective.Title));
        Assert.Equal(3, PeriodReport.Flatten(report.Roots).Count());
    }

    [Fact]
    public async Task Burn_ups_follow_the_check_ins_with_corrections_and_the_expected_pace()
    {
        var report = await PlayHalfAQuarter();

        Assert.Equal(9, report.BurnUps.Count);
        var deals = report.BurnUps.Single(b => b.KeyResult.Progress.KeyResult.Title == "Deals");
        Assert.Equal([0.08, 0.16, 0.24, 0.32, 0.40, 0.48, 0.56], deals.Actual.Select(p => Math.Round(p.Progress, 6)));
        Assert.True(deals.Actual.Zip(deals.Actual.Skip(1)).All(p => p.First.ElapsedShare < p.Second.ElapsedShare));
        Assert.Equal(0.94, report.BurnUps.Single(b => b.KeyResult.Progress.KeyResult.Title == "NPS").Actual[^1].Progress, 6);
        Assert.Empty(report.BurnUps.Single(b => b.KeyResult.Progress.KeyResult.Title == "Never checked").Actual);

        // The default pace is linear: from 0 at the start to 1 at the end.
        Assert.Equal((0.0, 0.0), (deals.Expected[0].ElapsedShare, deals.Expected[0].Progress));
        Assert.Equal((1.0, 1.0), (deals.Expected[^1].ElapsedShare, deals.Expected[^1].Progress));
        Assert.All(deals.Expected, p => Assert.Equal(p.ElapsedShare, p.Progress, 9));
    }

    [Fact]
    public async Task Markdown_shows_the_tree_numbers_and_lists()
    {
        var report = await PlayHalfAQuarter();
        var isolated = MarkdownReport.Render(report);

        // Every user text is set apart with Unicode isolates (U+2068 … U+2069); the rest of the test reads past them.
        Assert.StartsWith("# \u20682026-Q1\u2069: OKR report", isolated, StringComparison.Ordinal);
        Assert.Contains("| \u2068CSAT\u2069 | \u2068Support delights\u2069 |", isolated, StringComparison.Ordinal);
        var md = WithoutIsolates(isolated);
        Assert.StartsWith("# 2026-Q1: OKR report", md, StringComparison.Ordinal);
        Assert.Contains("- **Win the \\<b\\>Q&A\\</b\\> market** (organization-unit:company): 64 %, on track", md, StringComparison.Ordinal);
        Assert.Contains("  - **Sales grows** (team:sales)", md, StringComparison.Ordinal);
        Assert.Contains("    - Deals: 56 %, on track", md, StringComparison.Ordinal);
        Assert.Contains("    - CSAT: 14 %, off track", md, StringComparison.Ordinal);
        Assert.Contains("    - Never checked: –, stale", md, StringComparison.Ordinal);
        Assert.Contains("  - NPS: 94 %", md, StringComparison.Ordinal);
        Assert.Contains("| CSAT | Support delights | 14 % |", md, StringComparison.Ordinal);
        Assert.Contains("| team:sales | 1 | 1 | 100 % |", md, StringComparison.Ordinal);
        Assert.Contains(report.Summary.Score is { } s ? $"Period score: **{Math.Round(s * 100):0} %**" : "–", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_output_is_plain_ascii_when_not_rich_and_coloured_when_rich()
    {
        var report = await PlayHalfAQuarter();

        var plain = new StringWriter();
        TerminalReport.Write(report, plain, new TerminalReportOptions { Rich = false, BarWidth = 20 });
        Assert.Contains("\u2068Support delights\u2069 (\u2068team:support\u2069)", plain.ToString(), StringComparison.Ordinal);
        var text = WithoutIsolates(plain.ToString());
        Assert.DoesNotContain('\u001b', text);
        Assert.True(text.All(c => c < 128 || char.IsLetterOrDigit(c) || c == '–'), "Plain output uses ASCII for its drawing.");
        Assert.Matches(new Regex(@"\|  \* Deals  \[###########\.{9}\]  56 %  on track"), text);
        Assert.Contains("`- Support delights (team:support)", text, StringComparison.Ordinal);
        Assert.Contains("At risk (", text, StringComparison.Ordinal);

        var rich = new StringWriter();
        TerminalReport.Write(report, rich, new TerminalReportOptions { Rich = true });
        Assert.Contains("\u001b[32mon track\u001b[0m", rich.ToString(), StringComparison.Ordinal);
        Assert.Contains("└─ ", rich.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TerminalReport.Write(report, new StringWriter(), new TerminalReportOptions { BarWidth = 2 }));
    }

    [Fact]
    public async Task Html_is_self_contained_and_every_svg_is_well_formed_xml()
    {
        var report = await PlayHalfAQuarter();
        var html = HtmlReport.Render(report);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Regex.Matches(html, "https?://"), m => !html[m.Index..].StartsWith("http://www.w3.org/2000/svg", StringComparison.Ordinal));
        Assert.Contains("<bdi>Win the &lt;b&gt;Q&amp;A&lt;/b&gt; market</bdi>", html, StringComparison.Ordinal);
        Assert.Contains("<h1><bdi>2026-Q1</bdi>: OKR report</h1>", html, StringComparison.Ordinal);

        var svgs = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(m => XElement.Parse(m.Value)).ToList();
        var charts = svgs.Where(s => s.Attribute("role")?.Value == "img").ToList();
        Assert.Equal(report.BurnUps.Count, charts.Count);
        var ns = XNamespace.Get("http://www.w3.org/2000/svg");
        Assert.All(charts, c => Assert.NotNull(c.Element(ns + "polyline")));
        var deals = charts.Single(c => c.Element(ns + "title")!.Value.StartsWith("\u2068Deals\u2069", StringComparison.Ordinal));
        Assert.Equal(7, deals.Elements(ns + "circle").Count());
        Assert.Equal(25, deals.Elements(ns + "polyline").Single(p => p.Attribute("class")!.Value == "expected").Attribute("points")!.Value.Split(' ').Length);
        Assert.True(svgs.Count > charts.Count, "Progress bars are inline SVG too.");
    }

    [Fact]
    public async Task At_risk_and_stale_lists_name_the_right_key_results()
    {
        var report = await PlayHalfAQuarter();

        Assert.Equal(["CSAT", "Docs", "Response time"], report.AtRisk.Select(k => k.Progress.KeyResult.Title).Order(StringComparer.Ordinal));
        Assert.All(report.AtRisk, k => Assert.Equal(HealthStatus.OffTrack, k.Health.Status));
        Assert.Equal(["Never checked"], report.Stale.Select(k => k.Progress.KeyResult.Title));
    }

    [Fact]
    public async Task A_report_for_an_actor_leaves_out_what_they_may_not_read()
    {
        await PlayHalfAQuarter();
        var hidden = await _okr.Objectives.EditAsync(_tenant, _support.Id, (o, c) => o.WithVisibility(Visibility.Private, c));
        var restricted = new OkrService(_store, _clock, new OkrServiceOptions { AccessPolicy = new NobodyIsRelated() });

        var report = await PeriodReport.CreateAsync(restricted.As(OwnerRef.Person("guest")), _tenant, _quarter.Id);

        Assert.DoesNotContain(PeriodReport.Flatten(report.Roots), n => n.Status.Progress.Objective.Id == hidden.Id);
        var terminal = new StringWriter();
        TerminalReport.Write(report, terminal, new TerminalReportOptions { Rich = false });
        foreach (var output in new[] { HtmlReport.Render(report), MarkdownReport.Render(report), terminal.ToString() })
        {
            // Neither its title, nor its key results, nor its owner, nor its id: not in the tree, the charts, the
            // at-risk list or the coverage.
            Assert.DoesNotContain("Support delights", output, StringComparison.Ordinal);
            Assert.DoesNotContain("CSAT", output, StringComparison.Ordinal);
            Assert.DoesNotContain("team:support", output, StringComparison.Ordinal);
            Assert.DoesNotContain(hidden.Id.ToString(), output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(report.BurnUps, b => b.Objective.Id == hidden.Id);
    }

    private sealed class NobodyIsRelated : Core.Access.IOkrAccessPolicy
    {
        public ValueTask<Core.Access.OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(Core.Access.OkrRelation.None);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    private static string WithoutIsolates(string text) => text.Replace("\u2068", string.Empty, StringComparison.Ordinal).Replace("\u2069", string.Empty, StringComparison.Ordinal);
}
