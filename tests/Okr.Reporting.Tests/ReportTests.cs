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

    private async Task<PeriodReport> PlayHalfAQuarter(ReportOptions? options = null)
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
        return await PeriodReport.CreateAsync(_okr, _tenant, _quarter.Id, options);
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
        var report = await PlayHalfAQuarter(new ReportOptions { Charts = ChartSelection.All });

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
        Assert.Contains("| CSAT | Support delights | team:support | 14 % |", md, StringComparison.Ordinal);
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
        var report = await PlayHalfAQuarter(new ReportOptions { Charts = ChartSelection.All });
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
        Assert.Equal(svgs.Count, charts.Count);   // progress bars are CSS boxes, not an SVG each
        Assert.Contains("<span class=\"b b3\"><i style=\"width:56%\"></i></span>", html, StringComparison.Ordinal);

        // A dated axis: the period's first day, its middle, its last day; today marked while the period runs.
        Assert.Equal(["2026-01-01", "2026-02-15", "2026-03-31"], deals.Elements(ns + "text").Where(t => t.Attribute("class")?.Value == "axis").Select(t => t.Value));
        Assert.Single(deals.Elements(ns + "line"), l => l.Attribute("class")?.Value == "today");
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

    [Fact]
    public async Task By_default_charts_go_where_a_reader_looks_the_top_objectives_then_what_is_at_risk()
    {
        var report = await PlayHalfAQuarter();

        Assert.Equal(["Revenue", "NPS", "Retention", "CSAT", "Response time", "Docs"], report.BurnUps.Select(b => b.KeyResult.Progress.KeyResult.Title));
        var capped = await PeriodReport.CreateAsync(_okr, _tenant, _quarter.Id, new ReportOptions { MaxCharts = 4 });
        Assert.Equal(["Revenue", "NPS", "Retention", "CSAT"], capped.BurnUps.Select(b => b.KeyResult.Progress.KeyResult.Title));
        Assert.Empty((await PeriodReport.CreateAsync(_okr, _tenant, _quarter.Id, new ReportOptions { Charts = ChartSelection.None })).BurnUps);
        Assert.Equal(["MaxCharts", "MaxListed"], Assert.Throws<OkrValidationException>(() => new ReportOptions { MaxCharts = -1, MaxListed = 0 }.Validate()).Violations.Select(v => v.Member));
    }

    [Fact]
    public void Report_options_default_to_the_documented_values()
    {
        var options = ReportOptions.Default;
        Assert.Equal((ChartSelection.TopLevelAndAtRisk, 60, 100, (int?)null, (SummaryScope?)null), (options.Charts, options.MaxCharts, options.MaxListed, options.KeyResultLevels, options.Scope));
        var company = ReportOptions.Company();
        Assert.Equal((3, 2), (company.Scope!.Levels, company.KeyResultLevels));
        Assert.Equal(1, ReportOptions.Company(1).KeyResultLevels);
        Assert.Equal("KeyResultLevels", Assert.Single(Assert.Throws<OkrValidationException>(() => new ReportOptions { KeyResultLevels = 0 }.Validate()).Violations).Member);
        Assert.Equal("Levels", Assert.Single(Assert.Throws<OkrValidationException>(() => ReportOptions.Company(SummaryScope.MaxLevels + 1).Validate()).Violations).Member);
    }

    [Fact]
    public async Task Owners_are_shown_by_the_directorys_names_and_the_at_risk_list_names_them()
    {
        var report = await PlayHalfAQuarter(new ReportOptions { Owners = new Directory(new() { [OwnerRef.Team("support")] = "Customer Support", [OwnerRef.Person("ann")] = "Ann Lee" }) });

        Assert.Equal("Customer Support", report.OwnerName(OwnerRef.Team("support")));
        Assert.Equal("team:sales", report.OwnerName(OwnerRef.Team("sales")));   // unknown to the directory: the reference
        var md = WithoutIsolates(MarkdownReport.Render(report));
        Assert.Contains("| CSAT | Support delights | Customer Support | 14 % |", md, StringComparison.Ordinal);
        Assert.Contains("- **Support delights** (Customer Support)", md, StringComparison.Ordinal);
        var html = HtmlReport.Render(report);
        Assert.Contains("<tr><th>key result</th><th>objective</th><th>owner</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td><bdi>Customer Support</bdi></td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("team:support", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Last_check_in_is_the_effective_date_with_the_recorded_date_when_it_differs()
    {
        await PlayHalfAQuarter();

        // A figure back-filled today for three days ago: the value in force, true on the 16th, recorded on the 19th.
        var late = await _okr.CheckIns.RecordAsync(_tenant, _sales.KeyResults[2].Id, 15, OwnerRef.Person("ann"), effectiveAt: _clock.GetCurrentInstant() - Duration.FromDays(3));
        var report = await PeriodReport.CreateAsync(_okr, _tenant, _quarter.Id);

        var backFilled = report.AtRisk.Single(k => k.Progress.KeyResult.Title == "Never checked");
        Assert.Equal(late, backFilled.Latest);
        var md = WithoutIsolates(MarkdownReport.Render(report));
        Assert.Contains("| Never checked | Sales grows | team:sales | 15 % | 55 % | at risk | 2026-02-16 (recorded 2026-02-19) |", md, StringComparison.Ordinal);
        Assert.Contains("| CSAT | Support delights | team:support | 14 % | 55 % | off track | 2026-02-19 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_threshold_key_result_is_drawn_against_the_line_it_must_hold()
    {
        await PlayHalfAQuarter();
        var uptime = new KeyResult(new KeyResultId(Guid.NewGuid()), "Uptime", new StayAboveMeasure(99.5m, MeasureUnit.Percent));
        var ops = await Create("Ops stays up", OwnerRef.Team("ops"), [uptime, Kr("Incidents"), Kr("Runbooks")]);
        await CheckIn(uptime, 99.9m);
        var report = await PeriodReport.CreateAsync(_okr, _tenant, _quarter.Id, new ReportOptions { Charts = ChartSelection.All });

        var chart = report.BurnUps.Single(b => b.KeyResult.Progress.KeyResult.Id == uptime.Id);
        Assert.Equal(ChartLine.Hold, chart.Line);
        Assert.All(chart.Expected, p => Assert.Equal(1.0, p.Progress));
        Assert.Equal(ChartLine.Pace, report.BurnUps.Single(b => b.KeyResult.Progress.KeyResult.Title == "Deals").Line);
        var html = HtmlReport.Render(report);
        Assert.Contains("to hold <bdi>at or above 99.5 %</bdi> all period", html, StringComparison.Ordinal);
        var svg = XElement.Parse(Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(m => m.Value).Single(v => v.Contains("Uptime", StringComparison.Ordinal)));
        Assert.Single(svg.Elements(XNamespace.Get("http://www.w3.org/2000/svg") + "polyline"), p => p.Attribute("class")!.Value == "hold");
        Assert.Equal(ops.Id, chart.Objective.Id);
    }

    [Fact]
    public async Task A_closed_period_shows_grades_overrides_and_met_or_missed_and_no_live_health()
    {
        await PlayHalfAQuarter();
        var headOfPeople = OwnerRef.Person("hop");
        await _okr.Periods.CloseAsync(_tenant, _quarter.Id, new Dictionary<ObjectiveId, GradeOverride> { [_support.Id] = new(0.5, headOfPeople, "Launch moved to Q2 by the board") });
        var report = await PeriodReport.CreateAsync(_okr, _tenant, _quarter.Id, new ReportOptions { Owners = new Directory(new() { [headOfPeople] = "Head of People" }) });

        Assert.True(report.IsClosed);
        Assert.Empty(report.AtRisk);
        Assert.Empty(report.Stale);
        var support = report.Summary.Objectives.Single(o => o.Progress.Objective.Id == _support.Id).Progress.Objective;
        var grade = report.GradeOf(support)!;
        Assert.Equal((0.5, headOfPeople, false, 0.7), (grade.Grade.Value, grade.Grade.OverriddenBy!.Value, grade.Met, grade.Expected));   // aspirational: 70 % expected
        Assert.Equal(["Sales grows", "Support delights", "Win the <b>Q&A</b> market"], report.Missed.Select(s => s.Progress.Objective.Title));   // lowest grade first
        Assert.Equal([_support.Id], report.Overridden.Select(s => s.Progress.Objective.Id));
        Assert.Equal(["Revenue", "NPS", "Retention"], report.BurnUps.Select(b => b.KeyResult.Progress.KeyResult.Title));   // no live at-risk charts

        var html = HtmlReport.Render(report);
        var body = html[html.IndexOf("<body>", StringComparison.Ordinal)..];   // the style sheet names every class
        foreach (var live in new[] { "on-track", "at-risk", "off-track", "stale", ">today<", "<h2>At risk</h2>", "<h2>Stale</h2>", "Period score" })
        {
            Assert.DoesNotContain(live, body, StringComparison.Ordinal);
        }

        Assert.Contains("Final score", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Missed</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<td><bdi>Head of People</bdi></td><td><bdi>Launch moved to Q2 by the board</bdi></td>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"h missed\">missed</span>", html, StringComparison.Ordinal);
        Assert.All(Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline), m => XElement.Parse(m.Value));
        var md = WithoutIsolates(MarkdownReport.Render(report));
        Assert.Contains("  - **Support delights** (team:support): graded 50 %, missed (70 % expected)", md, StringComparison.Ordinal);
        Assert.Contains("- **Support delights**: set to 50 % from 14 % by Head of People: Launch moved to Q2 by the board", md, StringComparison.Ordinal);
        Assert.DoesNotContain("on track", md, StringComparison.Ordinal);
        var terminal = new StringWriter();
        TerminalReport.Write(report, terminal, new TerminalReportOptions { Rich = false });
        Assert.Contains("Grades set by a person (1)", terminal.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("off track", terminal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_scoped_to_a_subtree_shows_that_subtree_with_the_whole_periods_figures()
    {
        var whole = await PlayHalfAQuarter();
        var scoped = await PeriodReport.CreateAsync(_okr, _tenant, _quarter.Id, new ReportOptions { Scope = new SummaryScope { Subtree = _sales.Id } });

        var root = Assert.Single(scoped.Roots);
        Assert.Equal(_sales.Id, root.Status.Progress.Objective.Id);
        Assert.Empty(root.Children);
        Assert.Equal(whole.Summary.Objectives.Single(o => o.Progress.Objective.Id == _sales.Id).Progress.Progress, root.Status.Progress.Progress);
        Assert.Contains("; under \u2068Sales grows\u2069", HtmlReport.Render(scoped), StringComparison.Ordinal);
        Assert.DoesNotContain("Support delights", HtmlReport.Render(scoped), StringComparison.Ordinal);
        var top = await PeriodReport.CreateAsync(_okr, _tenant, _quarter.Id, new ReportOptions { Scope = new SummaryScope { Levels = 1 } });
        Assert.Equal([_company.Id], PeriodReport.Flatten(top.Roots).Select(n => n.Status.Progress.Objective.Id));
    }

    private sealed class Directory(Dictionary<OwnerRef, string> names) : IOwnerDirectory
    {
        public ValueTask<IReadOnlyDictionary<OwnerRef, string>> GetDisplayNamesAsync(TenantId tenant, IReadOnlyCollection<OwnerRef> owners, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyDictionary<OwnerRef, string>>(owners.Where(names.ContainsKey).ToDictionary(o => o, o => names[o]));
    }

    private sealed class NobodyIsRelated : Core.Access.IOkrAccessPolicy
    {
        public ValueTask<Core.Access.OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(Core.Access.OkrRelation.None);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    private static string WithoutIsolates(string text) => text.Replace("\u2068", string.Empty, StringComparison.Ordinal).Replace("\u2069", string.Empty, StringComparison.Ordinal);

    [Fact]
    public async Task A_tenant_with_its_own_zone_and_expectations_gets_a_report_drawn_in_them()
    {
        var settings = new OkrTenantSettings { TimeZone = DateTimeZoneProviders.Tzdb["Asia/Tokyo"], Assessment = new Okr.Core.Scoring.AssessmentOptions { AspirationalExpectation = 0.05 } };
        var okr = new OkrService(_store, _clock, new OkrServiceOptions { TenantSettings = new OneTenant(_tenant, settings) });
        var quarter = await okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        await okr.Periods.ActivateAsync(_tenant, quarter.Id);
        var objective = await okr.Objectives.CreateAsync(_tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), quarter.Id, "Grow", OwnerRef.Team("sales"), _clock, kind: ObjectiveKind.Aspirational, keyResults: [Kr("Deals"), Kr("Pipeline"), Kr("Docs")]));
        await okr.Objectives.ActivateAsync(_tenant, objective.Id);
        await okr.CheckIns.RecordAsync(_tenant, objective.KeyResults[0].Id, 30, OwnerRef.Person("ann"));

        var live = await PeriodReport.CreateAsync(okr, _tenant, quarter.Id);
        Assert.Equal("Asia/Tokyo", live.Zone.Id);

        // Graded 0.1: met against the tenant's expectation of 0.05 (the process-wide 0.7 would miss it).
        await okr.Periods.CloseAsync(_tenant, quarter.Id);
        var closed = await PeriodReport.CreateAsync(okr, _tenant, quarter.Id);
        Assert.Empty(closed.Missed);
        Assert.Single((await PeriodReport.CreateAsync(new OkrService(_store, _clock), _tenant, quarter.Id)).Missed);
    }

    private sealed class OneTenant(TenantId tenant, OkrTenantSettings settings) : IOkrTenantSettingsProvider
    {
        public ValueTask<OkrTenantSettings?> GetAsync(TenantId asked, CancellationToken cancellationToken) => ValueTask.FromResult(asked == tenant ? settings : null);
    }
}
