// Native-AOT smoke test: every library path a host uses, compiled ahead of time. Exit code 0 means it all ran.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Reporting;

var database = Path.Combine(Path.GetTempPath(), $"okr-aot-{Guid.NewGuid():N}.db");
// Settings bound from configuration (the binding reads keys by hand: no reflection binder).
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Okr:TimeZone"] = "Europe/Berlin",
    ["Okr:Health:StaleAfter"] = "10.00:00:00",
    ["Okr:Store:ConnectionString"] = $"Data Source={database}",
}).Build();
using var provider = new ServiceCollection()
    .AddOkr(configuration.GetSection("Okr"), okr => okr.UseSqlite())
    .BuildServiceProvider();
var okr = provider.GetRequiredService<OkrService>();
if (okr.Options.TimeZone.Id != "Europe/Berlin" || ((Okr.Core.Health.PaceHealthPolicy)okr.Options.Health).Options.StaleAfter != NodaTime.Duration.FromDays(10))
{
    throw new InvalidOperationException("The configuration section was not bound.");
}

var clock = okr.Clock;
var tenant = new TenantId(Guid.Parse("0192f0a1-2b3c-7d4e-8f50-6172839405a6"));

var now = clock.GetCurrentInstant().InUtc();
var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), now.Year, ((now.Month - 1) / 3) + 1));
await okr.Periods.ActivateAsync(tenant, quarter.Id);
var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id,
    "Make onboarding effortless", OwnerRef.Team("product"), clock, keyResults:
    [
        new KeyResult(KeyResultId.New(clock), "Ship the guided setup", new MilestoneMeasure()),
        new KeyResult(KeyResultId.New(clock), "Onboarding completion", new IncreaseMeasure(40m, 80m, unit: MeasureUnit.Percent)),
        new KeyResult(KeyResultId.New(clock), "Time to first invoice", new DecreaseMeasure(30m, 5m, unit: MeasureUnit.Custom("min"))),
    ]));
await okr.Objectives.ActivateAsync(tenant, objective.Id);
await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[1].Id, 60m, OwnerRef.Person("E1042"));

// The okr/1 format both ways, source-generated.
var exported = await okr.Transfer.ExportAsync(tenant);
var json = OkrJson.Serialize(exported);
var back = OkrJson.Deserialize(json);
if (back.Objectives.Count != 1 || back.CheckIns.Count != 1)
{
    Console.Error.WriteLine("The JSON round trip lost data.");
    return 1;
}

// The model types through a web API's own options (no reflection: only the web options' resolver).
var web = OkrJson.ConfigureWebOptions(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
var stored = await okr.Objectives.GetAsync(tenant, objective.Id);
var objectiveJson = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Objective>)web.GetTypeInfo(typeof(Objective));   // as ASP.NET Core asks
if (!System.Text.Json.JsonSerializer.Deserialize(System.Text.Json.JsonSerializer.Serialize(stored, objectiveJson), objectiveJson)!.Equals(stored))
{
    Console.Error.WriteLine("The web JSON round trip changed the objective.");
    return 1;
}

var report = await PeriodReport.CreateAsync(okr, tenant, quarter.Id);
var html = HtmlReport.Render(report);
Console.WriteLine($"aot ok: {report.Summary.Objectives.Count} objective, {json.Length} bytes of okr/1, {html.Length} bytes of HTML, progress {report.Summary.Objectives[0].KeyResults[1].Progress.Progress:0.00}");
File.Delete(database);
return 0;
