// Okr.Core quick start: a Generic Host that plays one quarter of a small company on SQLite.
// Run it with: dotnet run --project samples/Okr.Samples.QuickStart
// It writes okr-quickstart.db, okr-report.html (and its German edition), the company report and okr-grades.csv into
// the working folder.
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;
using Okr.Reporting;

const string database = "okr-quickstart.db";
const string htmlReport = "okr-report.html";
const string germanReport = "okr-report.de.html";
const string companyReport = "okr-company-report.html";
const string gradesExport = "okr-grades.csv";
foreach (var file in new[] { database, database + "-wal", database + "-shm" })
{
    File.Delete(file);   // a fresh quarter on every run
}

// Time always comes from an IClock. The quarter is replayed in a second, so the clock is simulated;
// a real host leaves the default (the system clock).
var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
var clock = new FakeClock(new LocalDateTime(2026, 1, 2, 9, 0).InZoneLeniently(zone).ToInstant());

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddOkr(okr => okr
    .UseSqlite($"Data Source={database}")
    .UseClock(clock)
    .UseTimeZone("Europe/Berlin"));
using var host = builder.Build();

var okr = host.Services.GetRequiredService<OkrService>();
var tenant = new TenantId(Guid.Parse("0192f0a1-0000-7000-8000-0000000000ac"));

var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
await okr.Periods.ActivateAsync(tenant, quarter.Id);

KeyResult Kr(string title, Measure measure, double weight = 1) => new(KeyResultId.New(clock), title, measure, weight);

var company = await okr.Objectives.CreateAsync(tenant, Objective.Create(
    ObjectiveId.New(clock), quarter.Id, "Become the easiest invoicing tool for small firms", OwnerRef.OrganizationUnit("acme"), clock,
    keyResults:
    [
        Kr("Grow monthly recurring revenue", new IncreaseMeasure(120_000m, 180_000m, unit: MeasureUnit.Currency("EUR")), weight: 2),
        Kr("Raise net promoter score", new IncreaseMeasure(-5m, 25m, unit: MeasureUnit.Custom("NPS"))),
        Kr("Cut time to first invoice", new DecreaseMeasure(30m, 5m, unit: MeasureUnit.Custom("min"))),
    ]));

var product = await okr.Objectives.CreateAsync(tenant, Objective.Create(
    ObjectiveId.New(clock), quarter.Id, "Make onboarding effortless", OwnerRef.Team("product"), clock, ObjectiveKind.Committed,
    keyResults:
    [
        Kr("Ship the guided setup", new MilestoneMeasure()),
        Kr("Onboarding completion rate", new IncreaseMeasure(42.5m, 75m, unit: MeasureUnit.Percent)),
        Kr("Keep crash-free sessions", new StayAboveMeasure(99.5m, MeasureUnit.Percent)),
    ],
    alignments: [new AlignmentLink(company.Id, company.KeyResults[2].Id)]));

var sales = await okr.Objectives.CreateAsync(tenant, Objective.Create(
    ObjectiveId.New(clock), quarter.Id, "Win accountants as a channel", OwnerRef.Team("sales"), clock,
    keyResults:
    [
        Kr("Signed partner firms", StagedMeasure.FromStretch(0m, 40m)),
        Kr("Revenue from partner referrals", new IncreaseMeasure(0m, 20_000m, 30_000m, MeasureUnit.Currency("EUR"))),
        Kr("Average deal cycle", new WithinRangeMeasure(10m, 21m, MeasureUnit.Custom("days"))),
        Kr("Churned partners", new StayBelowMeasure(2m)),
    ],
    alignments: [new AlignmentLink(company.Id)]));

foreach (var o in new[] { company, product, sales })
{
    await okr.Objectives.ActivateAsync(tenant, o.Id);   // the rules check 3–5 key results and an open period
}

// Thirteen weekly check-ins: each key result moves along its own curve (value at week w of 13).
var plan = new (KeyResult Kr, Func<int, decimal?> ValueAt)[]
{
    (company.KeyResults[0], w => 120_000m + (w * 4_650.25m)),
    (company.KeyResults[1], w => -5m + (w * 2.5m)),
    (company.KeyResults[2], w => Math.Max(6m, 30m - (w * 2m))),
    (product.KeyResults[0], w => w >= 9 ? 1m : 0m),
    (product.KeyResults[1], w => 42.5m + (w * 2.25m)),
    (product.KeyResults[2], w => w == 6 ? 99.3m : 99.7m),
    (sales.KeyResults[0], w => w * 3m),
    (sales.KeyResults[1], w => w * 1_150m),
    (sales.KeyResults[2], w => w < 4 ? null : 25m - w),          // nobody measured it for the first month
    (sales.KeyResults[3], w => w / 4),
};

var author = OwnerRef.Person("E1042");
for (var week = 1; week <= 13; week++)
{
    clock.Advance(Duration.FromDays(7));
    var checkIns = plan
        .Where(p => p.ValueAt(week) is not null)
        .Select(p => CheckIn.Record(CheckInId.New(clock), p.Kr.Id, p.ValueAt(week)!.Value, author, clock, confidence: Confidence.FromTenPointScale(8 - (week % 4))))
        .ToList();
    await okr.CheckIns.RecordManyAsync(tenant, checkIns);   // one atomic batch per week

    if (week == 6)
    {
        Console.WriteLine("Half-way through the quarter:");
        TerminalReport.Write(await PeriodReport.CreateAsync(okr, tenant, quarter.Id), Console.Out);
    }
}

// A typo from week 3 is corrected; the original stays in the history.
var history = await okr.CheckIns.HistoryAsync(tenant, company.KeyResults[1].Id);
await okr.CheckIns.CorrectAsync(tenant, history[2].Id, 3m, author, "Survey export was incomplete");

// The end of the quarter: the tree with progress bars and health in the terminal (plain text when the
// output is redirected), and the same report as one self-contained HTML file with a burn-up chart per key result.
Console.WriteLine("The quarter's last week:");
var report = await PeriodReport.CreateAsync(okr, tenant, quarter.Id);
TerminalReport.Write(report, Console.Out);
await File.WriteAllTextAsync(htmlReport, HtmlReport.Render(report));
Console.WriteLine($"HTML report written to {Path.GetFullPath(htmlReport)}.");

// The same report for the German office: German texts, German numbers and dates.
await File.WriteAllTextAsync(germanReport, HtmlReport.Render(report, CultureInfo.GetCultureInfo("de-DE")));
Console.WriteLine($"German HTML report written to {Path.GetFullPath(germanReport)}.");
Console.WriteLine();

clock.Advance(Duration.FromDays(2));
var grades = await okr.Periods.CloseAsync(
    tenant,
    quarter.Id,
    new Dictionary<ObjectiveId, GradeOverride> { [sales.Id] = new(0.7, OwnerRef.Person("cfo"), "Partner program started three weeks late") });

Console.WriteLine($"Quarter closed. Period grade {grades.Score:0.00}.");
foreach (var a in grades.Objectives)
{
    var over = a.Grade.IsOverridden ? $" (computed {a.Grade.Computed:0.00}, set by {a.Grade.OverriddenBy}: {a.Grade.OverrideReason})" : string.Empty;
    Console.WriteLine($"  {a.Objective.Title,-52} {a.Grade.Value:0.00} {a.Band,-6} {(a.Met ? "met" : "missed")} (expected {a.Expected:0.0}){over}");
}

// After the close a report shows grades, met or missed, and each grade a person set with who and why; a company
// report keeps to the top levels and names owners through the host's directory (here, a dictionary).
var directory = new OwnerNames(new() { [OwnerRef.Person("cfo")] = "Chief Financial Officer" });
var companyView = await PeriodReport.CreateAsync(okr, tenant, quarter.Id, ReportOptions.Company(levels: 3, owners: directory));
await File.WriteAllTextAsync(companyReport, HtmlReport.Render(companyView));
Console.WriteLine($"Graded company report written to {Path.GetFullPath(companyReport)}.");

// The graded quarter for a spreadsheet: one row per objective with its grade, any override with who and why.
await using (var gradesCsv = File.CreateText(gradesExport))
{
    await CsvExport.WriteObjectivesAsync(okr, tenant, quarter.Id, gradesCsv, new CsvExportOptions { Owners = directory });
}

Console.WriteLine($"Grades written to {Path.GetFullPath(gradesExport)}.");

// One department's report, every chart.
var department = await PeriodReport.CreateAsync(okr, tenant, quarter.Id, new ReportOptions { Scope = new SummaryScope { Subtree = sales.Id }, Charts = ChartSelection.All });
TerminalReport.Write(department, Console.Out);

// A grade corrected after the close: the product team's March completion figure arrived late. The period and the
// objective are reopened with a reason, the figure goes in, and the quarter closes again; both grades stay in the
// objective's history (docs/lifecycle.md walks a whole year).
await okr.Periods.ReopenAsync(tenant, quarter.Id, "March completion figures arrived late");
await okr.Objectives.ReopenAsync(tenant, product.Id, "Completion rate of March was missing");
await okr.CheckIns.RecordAsync(tenant, product.KeyResults[1].Id, 74m, author, effectiveAt: new LocalDate(2026, 3, 31).AtMidnight().InZoneLeniently(zone).ToInstant());
var regraded = await okr.Periods.CloseAsync(tenant, quarter.Id);
var corrected = regraded.Objectives.Single(a => a.Objective.Id == product.Id);
Console.WriteLine($"'{product.Title}' regraded after the close: {corrected.Grade.Value:0.00}; period grade {regraded.Score:0.00}.");

// The next quarter: the sales objective is carried over as a draft, its baselines starting where the first quarter ended.
var q2 = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 2));
var carried = await okr.Periods.CarryOverAsync(tenant, quarter.Id, q2.Id, [sales.Id], new CarryOverOptions { RebaseBaselines = true });
Console.WriteLine($"Carried '{carried[0].Copy.Title}' into {q2.Name} as a {carried[0].Copy.State}; {carried[0].Rebased.Count} baseline(s) re-based.");

Console.WriteLine($"Data is in {Path.GetFullPath(database)}.");

/// <summary>The host's directory of display names; a real host asks its HR system, once per report.</summary>
internal sealed class OwnerNames(Dictionary<OwnerRef, string> names) : IOwnerDirectory
{
    public ValueTask<IReadOnlyDictionary<OwnerRef, string>> GetDisplayNamesAsync(TenantId tenant, IReadOnlyCollection<OwnerRef> owners, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyDictionary<OwnerRef, string>>(owners.Where(names.ContainsKey).ToDictionary(o => o, o => names[o]));
}
