// Okr.Core quick start: one quarter of a small company on SQLite, through OkrService.
// Run it with: dotnet run --project samples/Okr.Samples.QuickStart   (writes okr-quickstart.db here)
using System.Globalization;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Health;
using Okr.Core.Scoring;
using Okr.Core.Service;
using Okr.Storage.Sqlite;

const string database = "okr-quickstart.db";
foreach (var file in new[] { database, database + "-wal", database + "-shm" })
{
    File.Delete(file);   // a fresh quarter on every run
}

// Time always comes from an IClock. The quarter is replayed, so the clock is simulated.
var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
var clock = new FakeClock(new LocalDateTime(2026, 1, 2, 9, 0).InZoneLeniently(zone).ToInstant());
var okr = new OkrService(new SqliteOkrStore($"Data Source={database}"), clock, new OkrServiceOptions { TimeZone = zone });
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
        Print(await okr.Progress.SummarizeAsync(tenant, quarter.Id));
    }
}

// A typo from week 3 is corrected; the original stays in the history.
var history = await okr.CheckIns.HistoryAsync(tenant, company.KeyResults[1].Id);
await okr.CheckIns.CorrectAsync(tenant, history[2].Id, 3m, author, "Survey export was incomplete");

Print(await okr.Progress.SummarizeAsync(tenant, quarter.Id));

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

Console.WriteLine($"Data is in {Path.GetFullPath(database)}.");

void Print(PeriodSummary summary)
{
    var today = summary.At.InZone(zone).Date;
    Console.WriteLine($"{summary.Period.Name}  {summary.Period.Dates.Start:uuuu-MM-dd} → {summary.Period.Dates.End:uuuu-MM-dd}   {today:uuuu-MM-dd}, {PaceHealthPolicy.ElapsedShare(summary.Period, zone, summary.At):P0} gone   quarter score {summary.Score:P0}");
    foreach (var o in summary.Objectives)
    {
        var depth = o.Progress.Objective.Alignments.Count == 0 ? string.Empty : "  ";
        Console.WriteLine($"{depth}■ {o.Progress.Objective.Title,-52} {Bar(o.Progress.Progress)} {o.Health.Status}");
        foreach (var kr in o.KeyResults)
        {
            var value = kr.Latest is null ? "no data" : Format(kr.Latest.Value, kr.Progress.KeyResult.Measure.Unit);
            Console.WriteLine($"{depth}    • {kr.Progress.KeyResult.Title,-34} {Bar(kr.Progress.Progress)} {kr.Health.Status,-8} {value}");
        }
    }

    Console.WriteLine($"At risk: {summary.AtRisk.Count()}, stale: {summary.Stale.Count()}.");
    Console.WriteLine();
}

static string Bar(double? progress)
{
    if (progress is not { } p)
    {
        return "[" + new string('·', 20) + "]   –         ";
    }

    var filled = (int)Math.Round(Math.Clamp(p, 0, 1) * 20);
    return $"[{new string('█', filled)}{new string('░', 20 - filled)}] {p,4:P0} {GradeBands.Of(p),-6}";
}

static string Format(decimal value, MeasureUnit unit) => unit.Kind switch
{
    MeasureUnitKind.Percent => value.ToString("0.##", CultureInfo.InvariantCulture) + " %",
    MeasureUnitKind.Currency => value.ToString("#,0.##", CultureInfo.InvariantCulture) + " " + unit.Code,
    MeasureUnitKind.Custom => value.ToString("0.##", CultureInfo.InvariantCulture) + " " + unit.Code,
    _ => value.ToString("0.##", CultureInfo.InvariantCulture),
};
