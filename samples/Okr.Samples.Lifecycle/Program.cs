// Okr.Core lifecycle: one year of the OKR cycle on SQLite, as docs/lifecycle.md walks it.
// Run it with: dotnet run --project samples/Okr.Samples.Lifecycle
// It writes okr-lifecycle.db into the working folder.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;

const string database = "okr-lifecycle.db";
foreach (var file in new[] { database, database + "-wal", database + "-shm" })
{
    File.Delete(file);   // a fresh year on every run
}

var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
var clock = new FakeClock(new LocalDateTime(2026, 1, 2, 9, 0).InZoneLeniently(zone).ToInstant());
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddOkr(okr => okr.UseSqlite($"Data Source={database}").UseClock(clock).UseTimeZone("Europe/Berlin"));
using var host = builder.Build();
var tenant = new TenantId(Guid.Parse("0192f0a1-0000-7000-8000-0000000000ad"));
var service = host.Services.GetRequiredService<OkrService>();
var okr = service.As(OwnerRef.Person("coo"));

// People check in as themselves.
Task Record(string person, KeyResultId keyResult, decimal value, Instant? effectiveAt = null) =>
    service.As(OwnerRef.Person(person)).CheckIns.RecordAsync(tenant, keyResult, value, OwnerRef.Person(person), effectiveAt).AsTask();

// 1. The year and its first two quarters. A year holds the quarters whose days lie inside it.
var year = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarYear(PeriodId.New(clock), 2026));
var q1 = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
var q2 = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 2));
await okr.Periods.ActivateAsync(tenant, year.Id);
await okr.Periods.ActivateAsync(tenant, q1.Id);
var held = await okr.Periods.ListHeldAsync(tenant, year.Id);
Console.WriteLine($"{year.Name} ({year.Kind}) holds {string.Join(", ", held.Select(p => $"{p.Name} ({p.Kind})"))}.");

KeyResult Kr(string title, Measure measure, ProgressSource source = ProgressSource.Measured) => new(KeyResultId.New(clock), title, measure, 1, null, source);

// 2. An annual objective. Its first key result takes its progress from the quarterly objectives aligned to it.
var annual = await okr.Objectives.CreateAsync(tenant, Objective.Create(
    ObjectiveId.New(clock), year.Id, "Become the easiest invoicing tool for small firms", OwnerRef.OrganizationUnit("acme"), clock,
    keyResults:
    [
        Kr("Quarterly objectives achieved", new IncreaseMeasure(0m, 100m, unit: MeasureUnit.Percent), ProgressSource.FromAlignedObjectives),
        Kr("Annual recurring revenue", new IncreaseMeasure(1.4m, 2.2m, unit: MeasureUnit.Custom("M EUR"))),
        Kr("Analyst rating", OrdinalMeasure.Default),
    ]));
annual = await okr.Objectives.ActivateAsync(tenant, annual.Id);
var quarterly = annual.KeyResults[0].Id;

// 3. The first quarter under it.
var product = await okr.Objectives.CreateAsync(tenant, Objective.Create(
    ObjectiveId.New(clock), q1.Id, "Make onboarding effortless", OwnerRef.Team("product"), clock, ObjectiveKind.Committed,
    keyResults:
    [
        Kr("Ship the guided setup", new MilestoneMeasure()),
        Kr("Onboarding completion rate", new IncreaseMeasure(42.5m, 75m, unit: MeasureUnit.Percent)),
        Kr("Time to first invoice", new DecreaseMeasure(30m, 5m, unit: MeasureUnit.Custom("min"))),
    ],
    alignments: [new AlignmentLink(annual.Id, quarterly)]));
var sales = await okr.Objectives.CreateAsync(tenant, Objective.Create(
    ObjectiveId.New(clock), q1.Id, "Win accountants as a channel", OwnerRef.Team("sales"), clock,
    keyResults:
    [
        Kr("Signed partner firms", StagedMeasure.FromStretch(0m, 40m)),
        Kr("Revenue from partner referrals", new IncreaseMeasure(0m, 20_000m, 30_000m, MeasureUnit.Currency("EUR"))),
        Kr("Partner satisfaction", OrdinalMeasure.Default),
    ],
    alignments: [new AlignmentLink(annual.Id, quarterly)]));
foreach (var o in new[] { product, sales })
{
    await okr.Objectives.ActivateAsync(tenant, o.Id);
}

// Weekly check-ins; product goes quiet after week 5.
for (var week = 1; week <= 12; week++)
{
    clock.Advance(Duration.FromDays(7));
    if (week <= 5)
    {
        await Record("pm", product.KeyResults[1].Id, 42.5m + (week * 3m));
    }

    await Record("am", sales.KeyResults[0].Id, week * 2.5m);
    await Record("am", sales.KeyResults[1].Id, week * 1_400m);
    if (week == 8)
    {
        // 4. Participation: the host's org chart against the quarter, in one read.
        var chart = new[] { OwnerRef.Team("product"), OwnerRef.Team("sales"), OwnerRef.Team("support") };
        var who = await okr.Progress.ParticipationAsync(tenant, q1.Id, chart);
        Console.WriteLine($"Week 8: no objectives: {string.Join(", ", who.WithoutObjectives)}; silent for 14 days: {string.Join(", ", who.Silent)}.");
        foreach (var owner in who.Owners.Where(o => o.KeyResultsOwed > 0))
        {
            Console.WriteLine($"  {owner.Owner}: checked in {owner.WindowsWithCheckIn} of {owner.Windows} weeks, last {owner.LastCheckIn?.InZone(zone).Date:uuuu-MM-dd}.");
        }
    }
}

await Record("am", sales.KeyResults[2].Id, OrdinalMeasure.Default.ValueOf("target"));

// 5. Close the first quarter; the CFO sets the sales grade by hand.
clock.Advance(Duration.FromDays(7));
var closed = await okr.Periods.CloseAsync(tenant, q1.Id, new Dictionary<ObjectiveId, GradeOverride>
{
    [sales.Id] = new(0.7, OwnerRef.Person("cfo"), "Partner program started three weeks late"),
});
Console.WriteLine($"{q1.Name} closed, score {closed.Score:0.00}:");
foreach (var a in closed.Objectives.OrderBy(a => a.Objective.Title, StringComparer.Ordinal))
{
    Console.WriteLine($"  {a.Objective.Title,-40} {a.Grade.Value:0.00}{(a.Grade.IsOverridden ? $" (computed {a.Grade.Computed:0.00}, {a.Grade.OverrideReason})" : string.Empty)}");
}

// 6. Correct a grade after the close: the completion figures of March arrived late.
await okr.Periods.ReopenAsync(tenant, q1.Id, "March onboarding figures arrived late");
await okr.Objectives.ReopenAsync(tenant, product.Id, "Completion rate of March was missing");
await Record("pm", product.KeyResults[1].Id, 71m, new LocalDate(2026, 3, 31).AtMidnight().InZoneLeniently(zone).ToInstant());
await okr.Periods.CloseAsync(tenant, q1.Id);
var grades = (await okr.Objectives.HistoryAsync(tenant, product.Id))
    .Select(r => r.Objective.Grade).OfType<FinalGrade>().Select(g => g.Value).Distinct();
Console.WriteLine($"'{product.Title}' graded {string.Join(", then ", grades.Select(g => g.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}; both stay in its history.");

// 7. Carry both objectives into the second quarter: baselines start where the first quarter ended, and the links to
// the annual objective stay, because the year holds the second quarter.
await okr.Periods.ActivateAsync(tenant, q2.Id);
var carried = await okr.Periods.CarryOverAsync(tenant, q1.Id, q2.Id, [product.Id, sales.Id], new CarryOverOptions { RebaseBaselines = true, Activate = true });
foreach (var c in carried)
{
    Console.WriteLine($"Carried '{c.Copy.Title}' into {q2.Name}: {c.Rebased.Count} baseline(s) re-based, links {string.Join(", ", c.Links.Select(l => l.Outcome))}.");
}

var again = await okr.Periods.CarryOverAsync(tenant, q1.Id, q2.Id, [product.Id]);
Console.WriteLine($"Carrying '{product.Title}' again: already carried = {again[0].AlreadyCarried}.");

clock.Advance(Duration.FromDays(30));
await Record("am", carried[1].Copy.KeyResults[1].Id, 24_000m);
await Record("coo", annual.KeyResults[2].Id, OrdinalMeasure.Default.ValueOf("commit"));

// 8. The year: its objective's first key result rolls up the quarterly objectives of both quarters.
var summary = await okr.Progress.SummarizeAsync(tenant, year.Id);
var status = summary.Objectives.Single();
Console.WriteLine($"{year.Name}: '{status.Progress.Objective.Title}' at {status.Progress.Progress:P0}; quarterly objectives achieved {status.KeyResults[0].Progress.Progress:P0}; year score {summary.Score:0.00}.");
Console.WriteLine($"Data is in {Path.GetFullPath(database)}.");
