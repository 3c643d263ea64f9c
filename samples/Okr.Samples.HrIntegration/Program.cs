// Embedding Okr.Core in an existing HR system. Run it with:
//   dotnet run --project samples/Okr.Samples.HrIntegration
// It reads data/employees.csv, data/users.scim.json and data/okrs.json, and writes hr-okr.db and
// final-grades.csv, okr-key-results.csv, okr-check-ins.csv and the ATS's ats-export.csv into the working folder.
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using nietras.SeparatedValues;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.DependencyInjection;
using Okr.Core.Events;
using Okr.Core.Scoring;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Reporting;
using Okr.Samples.HrIntegration;

const string database = "hr-okr.db";
const string gradesFile = "final-grades.csv";
const string keyResultsFile = "okr-key-results.csv";
const string checkInsFile = "okr-check-ins.csv";
const string atsFile = "ats-export.csv";
foreach (var file in new[] { database, database + "-wal", database + "-shm", gradesFile, keyResultsFile, checkInsFile, atsFile })
{
    File.Delete(file);
}

var data = Path.Combine(AppContext.BaseDirectory, "data");

// 1. The org chart: the HR system's CSV export, completed by the identity provider's SCIM users.
var org = OrgChart.Load(Path.Combine(data, "employees.csv"), Path.Combine(data, "users.scim.json"), Console.Out);

// 2. The host: SQLite, the company's scoring policy, the org chart as access policy, and two event subscribers
//    (the manager notifier and a signed webhook to the HR system's endpoint, started here on 127.0.0.1).
var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 8, 0));
var notifier = new AtRiskManagerNotifier(org);
var reminders = new ManagerCheckInReminders(org);
var ats = new AtsExport(atsFile);
var secret = RandomNumberGenerator.GetBytes(32);
// Webhook timestamps are wall-clock time (the transport's, not the replayed quarter's).
await using var receiver = WebhookReceiver.Start(secret, SystemClock.Instance);
using var http = new HttpClient();
var webhook = new SignedWebhookSubscriber(http, receiver.Endpoint, secret, SystemClock.Instance);
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"));   // the "Okr" section
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(org);
builder.Services.AddSingleton(reminders);
builder.Services.AddSingleton(ats);
builder.Services.AddOkr(builder.Configuration.GetSection("Okr"), okr => okr   // time zone, health, store from appsettings.json
    .UseSqlite()
    .MigrateOnStartup()                                                      // AutoMigrate is off: requests never run DDL
    .UseClock(clock)
    .UseScoring(new NoCreditBelowAThird())
    .UseAccessPolicy(new OrgChartAccessPolicy(org))
    .AddEventSubscriber(notifier)
    .AddEventSubscriber(webhook)
    .AddEventDispatcher(new OkrEventDispatcherOptions { PollInterval = Duration.FromMilliseconds(20), Retention = Duration.FromDays(365) })
    .UseCheckInCadence(CheckInCadence.Weekly(IsoDayOfWeek.Monday, graceDays: 1))   // everyone checks in on Mondays
    .AddCheckInReminders<ManagerCheckInReminders>(new CheckInReminderOptions { At = new LocalTime(17, 0), PollInterval = Duration.FromMilliseconds(20) })
    .AddMetricSource<AtsExport>());                                          // offers accepted come from the ATS's CSV export
builder.Services.AddHealthChecks().AddOkrStore(tags: ["ready"]);
using var host = builder.Build();
await host.StartAsync();   // migrates, then the hosted dispatcher delivers events from the outbox, outside every request
var ready = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["okr-store"];
Console.WriteLine($"  store: {ready.Status}, schema version {ready.Data["schema_version"]}; time zone {host.Services.GetRequiredService<OkrService>().Options.TimeZone.Id} from appsettings.json");
var okr = host.Services.GetRequiredService<OkrService>();
var outbox = (IOkrEventOutbox)host.Services.GetRequiredService<IOkrStore>();

// 3. The OKRs the company kept in its previous tool, exported as an okr/1 document, imported in one
//    transaction with progress. Owners are people by employee id, departments by name.
await using var json = File.OpenRead(Path.Combine(data, "okrs.json"));
var document = await OkrJson.DeserializeAsync(json);
var tenant = document.TenantId;
var unmapped = document.Objectives.Where(o => o.Owner.Kind == OwnerKind.Person && org.Find(o.Owner) is null).ToList();
if (unmapped.Count > 0)
{
    throw new InvalidOperationException($"Owners missing from the org chart: {string.Join(", ", unmapped.Select(o => o.Owner))}");
}

var imported = await okr.Transfer.ImportAsync(tenant, document);
reminders.Tenants.Add(tenant);
ats.Tenants.Add(tenant);
Console.WriteLine($"  import: {imported.Periods.Count} period, {imported.Objectives.Count} objectives, {imported.CheckInsAdded} check-ins, in one commit");
var quarter = document.Periods.Single();
Console.WriteLine($"Imported {document.Objectives.Count} objectives with {document.Objectives.Sum(o => o.KeyResults.Count)} key results; every owner maps to the org chart.");
// Offers accepted come from the applicant tracking system, not from a person: the key result is bound to its export.
var hiring = document.Objectives.Single(o => o.Owner == OwnerRef.Person("E1301"));
var offers = hiring.KeyResults[0];
await okr.Objectives.EditAsync(tenant, hiring.Id, (o, c) => o.WithKeyResults([o.KeyResults[0].WithMetric(new MetricBinding("ats", "offers-accepted")), .. o.KeyResults.Skip(1)], c));
var withoutOkrs = org.Employees.Where(e => !document.Objectives.Any(o => o.Owner == e.Owner) && org.HeadOf(e.Department)?.Id != e.Id && e.ManagerId is not null).Select(e => e.Name);
Console.WriteLine($"People without a personal objective yet: {string.Join(", ", withoutOkrs)}.");
Console.WriteLine();

// 4. Twelve weeks of check-ins on Monday mornings, each by the person who owns the objective (through the access
//    policy). Most keep pace; the Austrian market and the payroll automation fall behind, and their managers hear of
//    it. The payroll contractor stops checking in after week 10.
var pace = new Dictionary<string, double> { ["E1102"] = 0.25, ["C2001"] = 0.3, ["E1201"] = 1.1 };
Console.WriteLine("Check-ins, with the notifications managers receive:");
for (var week = 1; week <= 12; week++)
{
    clock.Advance(Duration.FromDays(7));
    foreach (var objective in document.Objectives)
    {
        var actor = org.ActorFor(objective.Owner);
        if (actor.Id == "C2001" && week > 10)
        {
            continue;
        }

        var share = Math.Min(1.0, pace.GetValueOrDefault(actor.Id, 0.97) * Math.Sqrt(week / 12.0));   // most progress comes early
        var batch = objective.KeyResults
            .Where(kr => kr.Id != offers.Id)
            .Select(kr => CheckIn.Record(CheckInId.New(clock), kr.Id, ValueAt(kr.Measure, share), actor.Owner, clock))
            .ToList();
        await okr.As(actor.Owner).CheckIns.RecordManyAsync(tenant, batch);
        if (objective.Id == hiring.Id)
        {
            // The ATS updates its export; the hosted job reads it and records the figure (once, however often it reads).
            AtsExport.Write(atsFile, "offers-accepted", Math.Round(ValueAt(offers.Measure, share)), clock.GetCurrentInstant());
            await RecordedAsync(okr, clock, tenant, offers.Id, week);
        }
    }
}

await DeliveredAsync(outbox, tenant);
Console.WriteLine($"{notifier.Sent.Count} notifications sent.");
var fromAts = await okr.CheckIns.HistoryAsync(tenant, offers.Id);
Console.WriteLine($"\"{offers.Title}\" came from the ATS export: {fromAts.Count} readings recorded by {fromAts.Select(c => c.Author).Distinct().Single()}, the last {fromAts[^1].Value}.");
Console.WriteLine();

// 4b. Monday 30 March, 17:00 in Berlin: the hosted reminder job finds the check-ins owed by the weekly cadence and
//     the managers hear of them (a check-in recorded a day before a Monday would have counted for it).
clock.Advance(Duration.FromHours(8));
Console.WriteLine("Check-in reminders at 17:00:");
await RemindedAsync(reminders);
var owed = await okr.CheckIns.DueAsync(tenant, quarter.Id, clock.GetCurrentInstant());
Console.WriteLine($"{owed.Count} check-ins owed by {owed.Select(d => d.Owner).Distinct().Count()} person; {reminders.Sent.Count} reminder sent.");
Console.WriteLine();

// 5. A colleague from another department may not check in on someone else's key result. One they may not even read
//    is, to them, missing (so the error says nothing about it); one they may read but not change is denied.
try
{
    var someoneElses = document.Objectives.First(o => o.Owner == OwnerRef.Person("E1101")).KeyResults[0];
    await okr.As(OwnerRef.Person("E1201")).CheckIns.RecordAsync(tenant, someoneElses.Id, 99, OwnerRef.Person("E1201"));
    throw new InvalidOperationException("The access policy let a colleague check in on someone else's key result.");
}
catch (OkrException refused) when (refused is OkrNotFoundException or OkrAccessDeniedException)
{
    Console.WriteLine($"Refused as expected: {refused.Message}");
    Console.WriteLine();
}

// 6. The quarter's report as the CEO sees it (everyone reports to her, so she may read every objective).
TerminalReport.Write(await PeriodReport.CreateAsync(okr.As(OwnerRef.Person("E1000")), tenant, quarter.Id), Console.Out);

// 7. The Head of People closes the quarter; the Austrian market's grade is adjusted with a reason.
var hr = okr.As(OwnerRef.Person("E1300"));
clock.Advance(Duration.FromDays(5));
var austria = document.Objectives.Single(o => o.Owner == OwnerRef.Person("E1102"));
var result = await hr.Periods.CloseAsync(tenant, quarter.Id, new Dictionary<ObjectiveId, GradeOverride>
{
    [austria.Id] = new(0.5, OwnerRef.Person("E1100"), "Market entry was delayed by the regulator, not by Tim"),
});
Console.WriteLine($"Quarter closed by {hr.Actor}; period grade {result.Score:0.00}.");

// 8. Final grades per person, for the performance reviews in the HR system.
using (var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(gradesFile))
{
    foreach (var a in result.Objectives.Where(a => a.Objective.Owner.Kind == OwnerKind.Person).OrderBy(a => a.Objective.Owner.ExternalId, StringComparer.Ordinal))
    {
        var person = org.Find(a.Objective.Owner)!;
        using var row = writer.NewRow();
        row["employee_id"].Set(person.Id);
        row["name"].Set(person.Name);
        row["department"].Set(person.Department);
        row["manager_id"].Set(person.ManagerId ?? string.Empty);
        row["objective"].Set(a.Objective.Title);
        row["grade"].Set(a.Grade.Value.ToString("0.00", CultureInfo.InvariantCulture));
        row["band"].Set(GradeBands.Of(a.Grade.Value).ToString());
        row["met_expectation"].Set(a.Met ? "yes" : "no");
        row["overridden_by"].Set(a.Grade.OverriddenBy?.ExternalId ?? string.Empty);
        row["override_reason"].Set(a.Grade.OverrideReason ?? string.Empty);
    }
}

Console.WriteLine($"Final grades of {result.Objectives.Count(a => a.Objective.Owner.Kind == OwnerKind.Person)} people written to {Path.GetFullPath(gradesFile)}:");
Console.WriteLine(File.ReadAllText(gradesFile));

// 9. The quarter for the HR data warehouse: every key result and every check-in, with people's names from the org
//    chart, streamed to the files as they are read.
var ceo = okr.As(OwnerRef.Person("E1000"));
var exportOptions = new CsvExportOptions { Owners = org };
int keyResultRows, checkInRows;
await using (var keyResultsCsv = File.CreateText(keyResultsFile))
{
    keyResultRows = await CsvExport.WriteKeyResultsAsync(ceo, tenant, quarter.Id, keyResultsCsv, exportOptions);
}

await using (var checkInsCsv = File.CreateText(checkInsFile))
{
    checkInRows = await CsvExport.WriteCheckInsAsync(ceo, tenant, quarter.Id, checkInsCsv, exportOptions);
}

Console.WriteLine($"{keyResultRows} key results written to {keyResultsFile}, {checkInRows} check-ins to {checkInsFile}.");
Console.WriteLine(File.ReadLines(keyResultsFile).First());
Console.WriteLine(File.ReadLines(keyResultsFile).Skip(1).First());
Console.WriteLine();

// 10. The HR system's webhook endpoint saw every change as a signed event: each one in the outbox arrived, once by
//     id, and every signature checked out. A forged request and a replayed one are refused.
await DeliveredAsync(outbox, tenant);
await host.StopAsync();
var stored = await outbox.ReadEventsAsync(tenant, 0, 100_000);
var missing = stored.Where(e => !receiver.Received.ContainsKey(e.Id)).ToList();
var forged = await http.PostAsync(receiver.Endpoint, new StringContent("""{"id":"x"}"""));
using var replay = new HttpRequestMessage(HttpMethod.Post, receiver.Endpoint) { Content = new StringContent(stored[0].ToJson()) };
var stale = (SystemClock.Instance.GetCurrentInstant() - Duration.FromHours(1)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
replay.Headers.Add("Okr-Event-Id", stored[0].Id.ToString());
replay.Headers.Add("Okr-Timestamp", stale);
replay.Headers.Add("Okr-Signature", WebhookSignature.Compute(secret, stored[0].Id.ToString(), stale, stored[0].ToJson()));
var replayed = await http.SendAsync(replay);
Console.WriteLine($"Webhook: {receiver.Received.Count} signed events received for {stored.Count} in the outbox ({string.Join(", ", stored.GroupBy(e => e.Type).Select(g => $"{g.Count()} {g.Key}"))}); forged request: {(int)forged.StatusCode}, replayed request: {(int)replayed.StatusCode}.");
if (missing.Count > 0 || receiver.Received.Count != stored.Count || receiver.Rejected != 2 || forged.StatusCode != HttpStatusCode.Unauthorized || replayed.StatusCode != HttpStatusCode.Unauthorized)
{
    throw new InvalidOperationException($"The webhook receiver missed {missing.Count} events, or a signature check failed ({receiver.Rejected} rejected).");
}

// Waits until the hosted dispatcher has delivered every event of the tenant (a real host does not wait: this is a demo).
static async Task DeliveredAsync(IOkrEventOutbox outbox, TenantId tenant)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
    while (await outbox.GetStreamStateAsync(tenant, timeout.Token) is { } state && state.DeliveredThrough < state.LastSequence)
    {
        await Task.Delay(20, timeout.Token);
    }
}

// Waits until the hosted metric source job has recorded the ATS's figure of the week, letting the simulated clock run
// on meanwhile, so the source's next read falls due (a real host does not wait: this is a demo).
static async Task RecordedAsync(OkrService okr, FakeClock clock, TenantId tenant, KeyResultId keyResult, int count)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
    while ((await okr.CheckIns.HistoryAsync(tenant, keyResult, timeout.Token)).Count < count)
    {
        clock.Advance(Duration.FromMilliseconds(20));
        await Task.Delay(20, timeout.Token);
    }
}

// Waits until the hosted reminder job has sent a reminder (a real host does not wait: this is a demo).
static async Task RemindedAsync(ManagerCheckInReminders reminders)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
    while (reminders.Sent.IsEmpty)
    {
        await Task.Delay(20, timeout.Token);
    }
}

// Each key result moves the given share of the way from its baseline to its target.
static decimal ValueAt(Measure measure, double share) => measure switch
{
    IncreaseMeasure m => Math.Round(m.Baseline + ((m.Target - m.Baseline) * (decimal)share), 2),
    DecreaseMeasure m => Math.Round(m.Baseline + ((m.Target - m.Baseline) * (decimal)share), 2),
    _ => 0m,
};
