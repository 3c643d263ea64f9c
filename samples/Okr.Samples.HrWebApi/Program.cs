using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Okr.Core;
using Okr.Core.Http;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Reporting;
using Okr.Samples.HrWebApi;

var builder = WebApplication.CreateBuilder(args);

// The HR system's own database, SQLite by default; "Database:Provider": "PostgreSql" switches to PostgreSQL.
// A smoke run (--smoke, as ./test.sh runs it) plans its quarter on a database of its own, so it can run again.
var connectionString = args.Contains("--smoke") && builder.Configuration["Database:Provider"] != "PostgreSql"
    ? $"Data Source={Path.Combine(Path.GetTempPath(), $"okr-hr-smoke-{Guid.NewGuid():N}.db")}"
    : builder.Configuration.GetConnectionString("Hr") ?? "Data Source=hr.db";
builder.Services.AddDbContext<HrContext>(o =>
{
    if (builder.Configuration["Database:Provider"] == "PostgreSql")
    {
        o.UseNpgsql(connectionString);
    }
    else
    {
        o.UseSqlite(connectionString);
    }
});

// OKRs in that same context, behind the org chart (a policy per request, over the request's HrContext).
builder.Services.AddOkr(builder.Configuration.GetSection("Okr"), okr => okr
    .UseEntityFrameworkCore<HrContext>()
    .UseAccessPolicy<OrgChartPolicy>(ServiceLifetime.Scoped));

builder.Services.ConfigureHttpJsonOptions(o => OkrJson.ConfigureWebOptions(o.SerializerOptions));
builder.Services.AddAuthentication(DevAuthentication.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, DevAuthentication>(DevAuthentication.SchemeName, null);
builder.Services.AddAuthorization();

var app = builder.Build();

// Every error of the library as an RFC 9457 problem: its status, codes and JSON paths, and nothing hidden.
app.Use(async (context, next) =>
{
    try
    {
        await next(context);
    }
    catch (Exception ex) when (OkrProblem.From(ex, versionFromIfMatch: context.Request.Headers.IfMatch.Count > 0) is { } problem)
    {
        await Results.Problem(problem.Detail, statusCode: problem.Status, title: problem.Title, type: problem.Type, extensions: new Dictionary<string, object?> { ["errors"] = problem.Errors })
            .ExecuteAsync(context);
    }
});
app.UseAuthentication();
app.UseAuthorization();

var api = app.MapGroup("/api").RequireAuthorization();

// Periods: planned and closed by HR.
api.MapPost("/periods", async (NewQuarter body, HttpContext http, OkrService okr) =>
{
    var period = await okr.As(http.User.Actor()).Periods.CreateAsync(http.User.Tenant(), OkrPeriod.CalendarQuarter(new PeriodId(Guid.CreateVersion7()), body.Year, body.Quarter));
    http.Response.Headers.ETag = OkrETag.For(period);
    return Results.Created($"/api/periods/{period.Id}", period);
});
api.MapPost("/periods/{id}/activate", async (PeriodId id, HttpContext http, OkrService okr) =>
{
    var expected = OkrETag.ExpectedVersion(http.Request.Headers.IfMatch, id.ToString());
    var period = await okr.As(http.User.Actor()).Periods.ActivateAsync(http.User.Tenant(), id, expected);
    http.Response.Headers.ETag = OkrETag.For(period);
    return Results.Ok(period);
});
api.MapGet("/periods/{id}/summary", async (PeriodId id, HttpContext http, OkrService okr) =>
{
    var summary = await okr.As(http.User.Actor()).Progress.SummarizeAsync(http.User.Tenant(), id);
    return Results.Ok(new SummaryView(summary.Score, [.. summary.Objectives.Select(s => new ObjectiveView(s.Progress.Objective.Id, s.Progress.Objective.Title, s.Progress.Objective.Owner, s.Progress.Progress, s.Health.Status.ToString()))]));
});
api.MapGet("/periods/{id}/report", async (PeriodId id, HttpContext http, OkrService okr) =>
    Results.Content(HtmlReport.Render(await PeriodReport.CreateAsync(okr.As(http.User.Actor()), http.User.Tenant(), id)), "text/html"));
api.MapPost("/periods/{id}/close", async (PeriodId id, CloseRequest body, HttpContext http, OkrService okr) =>
{
    var actor = http.User.Actor();
    var overrides = body.Overrides?.ToDictionary(o => ObjectiveId.Parse(o.Key), o => new GradeOverride(o.Value.Grade, actor, o.Value.Reason));
    var assessment = await okr.As(actor).Periods.CloseAsync(http.User.Tenant(), id, overrides);
    return Results.Ok(new GradesView(assessment.Score, [.. assessment.Objectives.Select(a => new GradeView(a.Objective.Id, a.Objective.Title, a.Grade.Value, a.Grade.Computed, a.Grade.OverrideReason))]));
});

// Objectives: entity tags for their versions, If-Match for the writes that follow.
api.MapPost("/objectives", async (NewObjective body, HttpContext http, OkrService okr, IClock clock) =>
{
    var objective = await okr.As(http.User.Actor()).Objectives.CreateAsync(http.User.Tenant(), body.ToDraft(clock));
    http.Response.Headers.ETag = OkrETag.For(objective);
    return Results.Created($"/api/objectives/{objective.Id}", objective);
});
api.MapGet("/objectives/{id}", async (ObjectiveId id, HttpContext http, OkrService okr) =>
{
    var objective = await okr.As(http.User.Actor()).Objectives.GetAsync(http.User.Tenant(), id);
    http.Response.Headers.ETag = OkrETag.For(objective);
    return Results.Ok(objective);
});
api.MapPatch("/objectives/{id}", async (ObjectiveId id, TitleChange body, HttpContext http, OkrService okr) =>
{
    var expected = OkrETag.ExpectedVersion(http.Request.Headers.IfMatch, id.ToString());
    var objective = await okr.As(http.User.Actor()).Objectives.EditAsync(http.User.Tenant(), id, (o, clock) => o.WithTitle(body.Title, clock), expected);
    http.Response.Headers.ETag = OkrETag.For(objective);
    return Results.Ok(objective);
});
api.MapPost("/objectives/{id}/activate", async (ObjectiveId id, HttpContext http, OkrService okr) =>
{
    var expected = OkrETag.ExpectedVersion(http.Request.Headers.IfMatch, id.ToString());
    var objective = await okr.As(http.User.Actor()).Objectives.ActivateAsync(http.User.Tenant(), id, expected);
    http.Response.Headers.ETag = OkrETag.For(objective);
    return Results.Ok(objective);
});
api.MapPost("/objectives/{id}/alignments", async (ObjectiveId id, NewAlignment body, HttpContext http, OkrService okr) =>
{
    var expected = OkrETag.ExpectedVersion(http.Request.Headers.IfMatch, id.ToString());
    var objective = await okr.As(http.User.Actor()).Objectives.AlignAsync(http.User.Tenant(), id, new AlignmentLink(body.Parent, weight: body.Weight ?? 1.0), expected);
    http.Response.Headers.ETag = OkrETag.For(objective);
    return Results.Ok(objective);
});

// Check-ins: one, or a batch that is stored whole or not at all.
api.MapPost("/check-ins", async (NewCheckIn body, HttpContext http, OkrService okr) =>
{
    var actor = http.User.Actor();
    var checkIn = await okr.As(actor).CheckIns.RecordAsync(http.User.Tenant(), body.KeyResult, body.Value, actor, body.EffectiveAt, body.Confidence is { } c ? new Confidence(c) : null, body.Note ?? "");
    return Results.Created($"/api/check-ins/{checkIn.Id}", checkIn);
});
api.MapPost("/check-ins/batch", async (NewCheckIn[] body, HttpContext http, OkrService okr, IClock clock) =>
{
    var actor = http.User.Actor();
    var now = clock.GetCurrentInstant();
    var checkIns = body.Select(b => new CheckIn(new CheckInId(Guid.CreateVersion7()), b.KeyResult, b.Value, actor, b.EffectiveAt ?? now, now, b.Confidence is { } c ? new Confidence(c) : null, b.Note ?? "")).ToList();
    return Results.Ok(new { recorded = await okr.As(actor).CheckIns.RecordManyAsync(http.User.Tenant(), checkIns) });
});

// The okr/1 document of a period, out and in.
api.MapGet("/export", async (PeriodId? period, HttpContext http, OkrService okr) =>
    Results.Text(OkrJson.Serialize(await okr.As(http.User.Actor()).Transfer.ExportAsync(http.User.Tenant(), period)), "application/json"));
api.MapPost("/import", async (HttpContext http, OkrService okr) =>
{
    var document = await OkrJson.DeserializeAsync(http.Request.Body);
    var result = await okr.As(http.User.Actor()).Transfer.ImportAsync(http.User.Tenant(), document);
    return Results.Ok(new { periods = result.Periods.Count, objectives = result.Objectives.Count, checkIns = result.CheckInsAdded });
});

// A host write and an OKR write in one transaction: a new team and its first objective, both or neither.
api.MapPost("/teams", async (NewTeam body, HttpContext http, HrContext db, OkrService okr, IClock clock) =>
{
    var tenant = http.User.Tenant();
    await using var transaction = await db.Database.BeginTransactionAsync();
    db.Teams.Add(new Team { Tenant = tenant.Value, Id = body.Id, Name = body.Name, LeadId = http.User.Actor().ExternalId });
    await db.SaveChangesAsync();
    var objective = await okr.As(http.User.Actor()).Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.CreateVersion7()), body.Period, body.FirstObjective, OwnerRef.Team(body.Id), clock));
    await transaction.CommitAsync();
    return Results.Created($"/api/objectives/{objective.Id}", objective);
});

await using (var scope = app.Services.CreateAsyncScope())
{
    // The sample creates its schema from the model; a real host adds a migration for AddOkr's tables.
    var db = scope.ServiceProvider.GetRequiredService<HrContext>();
    await db.Database.EnsureCreatedAsync();
    await OrgChart.SeedAsync(db);
}

if (args.Contains("--smoke"))
{
    // Run by ./test.sh: serve on a free port, make a few real requests, stop.
    app.Urls.Add("http://127.0.0.1:0");
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var http = new HttpClient { BaseAddress = new Uri(address) };
    http.DefaultRequestHeaders.Add("X-Tenant", OrgChart.Acme.ToString());
    http.DefaultRequestHeaders.Add("X-User", "ada");
    var created = await http.PostAsJsonAsync("/api/periods", new { year = 2026, quarter = 1 });
    Console.WriteLine($"POST /api/periods: {(int)created.StatusCode}, ETag {created.Headers.ETag}");
    if (!created.IsSuccessStatusCode)
    {
        Console.WriteLine(await created.Content.ReadAsStringAsync());
        await app.StopAsync();
        return 1;
    }

    var period = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
    var summary = await http.GetAsync($"/api/periods/{period}/summary");
    Console.WriteLine($"GET /api/periods/{period}/summary: {(int)summary.StatusCode} {await summary.Content.ReadAsStringAsync()}");
    var missing = await http.GetAsync($"/api/objectives/{Guid.CreateVersion7()}");
    Console.WriteLine($"GET a missing objective: {(int)missing.StatusCode} {missing.Content.Headers.ContentType}");
    await app.StopAsync();
    return created.IsSuccessStatusCode && summary.IsSuccessStatusCode && (int)missing.StatusCode == 404 ? 0 : 1;
}

await app.RunAsync();
return 0;

/// <summary>Makes the entry point visible to the tests (WebApplicationFactory).</summary>
public partial class Program;
