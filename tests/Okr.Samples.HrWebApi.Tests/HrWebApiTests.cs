using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Okr.Samples.HrWebApi.Tests;

/// <summary>
/// The HR web API through real HTTP (the app's own pipeline in a test server, on a SQLite file of its own): every
/// endpoint, entity tags and If-Match, problems with codes and paths, and nothing of another tenant or of a hidden
/// objective, not even its existence.
/// </summary>
public sealed class HrWebApiTests : IDisposable
{
    private readonly App _app;

    // An app (and a database file) per test: each test plans the same quarter for the same tenant, and a tenant holds
    // one period of those days (PeriodSanityRule).
    public HrWebApiTests() => _app = new App();

    public void Dispose() => _app.Dispose();

    /// <summary>The app on a database file of its own.</summary>
    public class App : WebApplicationFactory<Program>
    {
        private readonly string _file = Path.Combine(Path.GetTempPath(), $"okr-hr-web-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseSetting("ConnectionStrings:Hr", $"Data Source={_file}");

        public HttpClient As(string user, Guid? tenant = null)
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Add("X-User", user);
            client.DefaultRequestHeaders.Add("X-Tenant", (tenant ?? OrgChart.Acme).ToString());
            return client;
        }
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;

    private Task<string> ActivePeriodAsync() => ActivePeriodAsync(_app);

    private static async Task<string> ActivePeriodAsync(App app)
    {
        using var ada = app.As("ada");
        var created = await ada.PostAsJsonAsync("/api/periods", new { year = 2026, quarter = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = Id(await Json(created));
        Assert.Equal(HttpStatusCode.OK, (await ada.PostAsync($"/api/periods/{id}/activate", null)).StatusCode);
        return id;
    }

    private static object Objective(string period, string title, string ownerKind, string owner, string visibility = "public") => new
    {
        period,
        title,
        owner = new { kind = ownerKind, id = owner },
        visibility,
        keyResults = new[]
        {
            new { title = "Signed deals", measure = (object)new { type = "increase", baseline = 0, target = 20 } },
            new { title = "Churn", measure = (object)new { type = "decrease", baseline = 10, target = 4 } },
            new { title = "Referrals", measure = (object)new { type = "increase", baseline = 0, target = 5 } },
        },
    };

    [Fact]
    public Task A_quarter_runs_through_every_endpoint() => QuarterAsync(_app);

    /// <summary>Plan, align, check in, edit under If-Match, summarise, report, export, import and close: every endpoint.</summary>
    internal static async Task QuarterAsync(App app)
    {
        var period = await ActivePeriodAsync(app);
        using var grace = app.As("grace");
        using var linus = app.As("linus");
        using var ada = app.As("ada");

        // The sales team's objective (Grace leads the team), activated, and Linus's own, aligned to it.
        var team = await grace.PostAsJsonAsync("/api/objectives", Objective(period, "Grow sales in the north", "team", "sales"));
        Assert.Equal(HttpStatusCode.Created, team.StatusCode);
        Assert.NotNull(team.Headers.ETag);
        var teamObjective = await Json(team);
        var teamId = Id(teamObjective);
        Assert.Equal("draft", teamObjective.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await grace.PostAsync($"/api/objectives/{teamId}/activate", null)).StatusCode);
        var mine = Id(await Json(await linus.PostAsJsonAsync("/api/objectives", Objective(period, "Open two accounts", "person", "linus"))));
        var aligned = await linus.PostAsJsonAsync($"/api/objectives/{mine}/alignments", new { parent = teamId });
        Assert.Equal(HttpStatusCode.OK, aligned.StatusCode);
        Assert.Equal(teamId, (await Json(aligned)).GetProperty("alignments")[0].GetProperty("objective").GetString());

        // Check-ins: one, then a batch.
        var read = await Json(await grace.GetAsync($"/api/objectives/{teamId}"));
        var krs = read.GetProperty("keyResults").EnumerateArray().Select(Id).ToList();
        // Effective inside the quarter (the app's clock is the real one, and a check-in must fall in its period).
        const string InQ2 = "2026-05-04T09:00:00Z";
        var one = await grace.PostAsJsonAsync("/api/check-ins", new { keyResult = krs[0], value = 8, note = "two big ones", confidence = 0.7, effectiveAt = InQ2 });
        Assert.Equal(HttpStatusCode.Created, one.StatusCode);
        Assert.Equal(8m, (await Json(one)).GetProperty("value").GetDecimal());
        var batch = await grace.PostAsJsonAsync("/api/check-ins/batch", new[] { new { keyResult = krs[1], value = 7m, effectiveAt = InQ2 }, new { keyResult = krs[2], value = 2m, effectiveAt = InQ2 } });
        Assert.Equal(2, (await Json(batch)).GetProperty("recorded").GetInt32());

        // A new title under the entity tag just read.
        var current = await grace.GetAsync($"/api/objectives/{teamId}");
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/objectives/{teamId}") { Content = JsonContent.Create(new { title = "Grow sales in the north and east" }) };
        patch.Headers.IfMatch.Add(current.Headers.ETag!);
        var patched = await grace.SendAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.NotEqual(current.Headers.ETag, patched.Headers.ETag);

        // Summary and report.
        var summary = await Json(await grace.GetAsync($"/api/periods/{period}/summary"));
        var shown = summary.GetProperty("objectives").EnumerateArray().ToDictionary(Id);
        Assert.Equal("Grow sales in the north and east", shown[teamId].GetProperty("title").GetString());
        Assert.True(shown[teamId].GetProperty("progress").GetDouble() > 0);
        var report = await grace.GetAsync($"/api/periods/{period}/report");
        Assert.Equal("text/html", report.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Grow sales in the north and east", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Export (HR), then the same document imported by the other customer's HR as its own.
        var export = await ada.GetAsync($"/api/export?period={period}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var document = await export.Content.ReadAsStringAsync();
        Assert.Contains(teamId, document, StringComparison.Ordinal);
        using var hank = app.As("hank", OrgChart.Globex);
        var imported = await hank.PostAsync("/api/import", new StringContent(document.Replace(OrgChart.Acme.ToString(), OrgChart.Globex.ToString(), StringComparison.Ordinal), MediaTypeHeaderValue.Parse("application/json")));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(2, (await Json(imported)).GetProperty("objectives").GetInt32());

        // Close with an override, with who and why.
        var close = await ada.PostAsJsonAsync($"/api/periods/{period}/close", new { overrides = new Dictionary<string, object> { [teamId] = new { grade = 0.6, reason = "a late deal counted" } } });
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        var grades = (await Json(close)).GetProperty("objectives").EnumerateArray().ToDictionary(Id);
        Assert.Equal(0.6, grades[teamId].GetProperty("grade").GetDouble());
        Assert.Equal("a late deal counted", grades[teamId].GetProperty("overrideReason").GetString());
    }

    [Fact]
    public async Task A_stale_If_Match_is_412_and_changes_nothing()
    {
        var period = await ActivePeriodAsync();
        using var grace = _app.As("grace");
        var created = await grace.PostAsJsonAsync("/api/objectives", Objective(period, "Win back lapsed customers", "team", "sales"));
        var id = Id(await Json(created));
        var stale = created.Headers.ETag!;
        var first = new HttpRequestMessage(HttpMethod.Patch, $"/api/objectives/{id}") { Content = JsonContent.Create(new { title = "First edit" }) };
        first.Headers.IfMatch.Add(stale);
        Assert.Equal(HttpStatusCode.OK, (await grace.SendAsync(first)).StatusCode);

        var second = new HttpRequestMessage(HttpMethod.Patch, $"/api/objectives/{id}") { Content = JsonContent.Create(new { title = "Second edit" }) };
        second.Headers.IfMatch.Add(stale);
        var refused = await grace.SendAsync(second);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Equal("urn:okr:problem:precondition-failed", (await Json(refused)).GetProperty("type").GetString());
        Assert.Equal("First edit", (await Json(await grace.GetAsync($"/api/objectives/{id}"))).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_broken_rule_is_400_with_every_code_and_path()
    {
        var period = await ActivePeriodAsync();
        using var grace = _app.As("grace");

        // A blank title and a title over the limit: both named, with their codes, and no .NET type anywhere.
        var blank = await grace.PostAsJsonAsync("/api/objectives", Objective(period, " ", "team", "sales"));
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        var problem = await Json(blank);
        Assert.Equal("urn:okr:problem:validation", problem.GetProperty("type").GetString());
        Assert.Equal([("okr.required", "Title")], Errors(problem));
        Assert.DoesNotContain("Okr.Core", await blank.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/objectives/{Id(await Json(await grace.PostAsJsonAsync("/api/objectives", Objective(period, "Fine", "team", "sales"))))}")
        {
            Content = JsonContent.Create(new { title = new string('x', 501) }),
        };
        Assert.Equal([("okr.text.too_long", "Title")], Errors(await Json(await grace.SendAsync(edit))));

        // A measure that cannot measure anything, refused while the request is read.
        var broken = new { period, title = "Broken", owner = new { kind = "team", id = "sales" }, keyResults = new[] { new { title = "Flat", measure = new { type = "increase", baseline = 5, target = 5 } } } };
        var refused = await grace.PostAsJsonAsync("/api/objectives", broken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal([("okr.measure.baseline_equals_target", "Target")], Errors(await Json(refused)));
    }

    private static List<(string?, string?)> Errors(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("code").GetString(), e.GetProperty("member").GetString()))];

    [Fact]
    public async Task Another_tenants_objective_is_404_like_one_that_does_not_exist()
    {
        var period = await ActivePeriodAsync();
        using var grace = _app.As("grace");
        var id = Id(await Json(await grace.PostAsJsonAsync("/api/objectives", Objective(period, "Grow sales in the south", "team", "sales"))));
        using var hank = _app.As("hank", OrgChart.Globex);
        var theirs = await hank.GetAsync($"/api/objectives/{id}");
        var none = await hank.GetAsync($"/api/objectives/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal((await Json(none)).GetProperty("title").GetString(), (await Json(theirs)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await hank.PostAsJsonAsync("/api/check-ins", new { keyResult = Guid.CreateVersion7(), value = 1 })).StatusCode);
    }

    [Fact]
    public async Task A_hidden_objective_is_404_to_whoever_may_not_read_it()
    {
        var period = await ActivePeriodAsync();
        using var linus = _app.As("linus");
        var id = Id(await Json(await linus.PostAsJsonAsync("/api/objectives", Objective(period, "Private: find a new job", "person", "linus", visibility: "private"))));
        using var ken = _app.As("ken");
        using var grace = _app.As("grace");
        var hidden = await ken.GetAsync($"/api/objectives/{id}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.DoesNotContain("find a new job", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await grace.GetAsync($"/api/objectives/{id}")).StatusCode);   // his manager
        var summary = await ken.GetAsync($"/api/periods/{period}/summary");
        Assert.DoesNotContain(id, await summary.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_team_and_its_first_objective_are_written_together_or_not_at_all()
    {
        var period = await ActivePeriodAsync();
        using var margaret = _app.As("margaret");
        var created = await margaret.PostAsJsonAsync("/api/teams", new { id = "platform", name = "Platform", period, firstObjective = "Ship the new platform" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("platform", (await Json(created)).GetProperty("owner").GetProperty("id").GetString());

        var refused = await margaret.PostAsJsonAsync("/api/teams", new { id = "mobile", name = "Mobile", period, firstObjective = "" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HrContext>();
        Assert.True(await db.Teams.AnyAsync(t => t.Tenant == OrgChart.Acme && t.Id == "platform"));
        Assert.False(await db.Teams.AnyAsync(t => t.Tenant == OrgChart.Acme && t.Id == "mobile"));
    }

    [Fact]
    public async Task A_caller_without_a_user_is_401()
    {
        using var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/objectives/{Guid.CreateVersion7()}")).StatusCode);
    }
}

/// <summary>The same app with <c>Database:Provider</c> set to <c>PostgreSql</c>, on a new database of a real server.</summary>
public sealed class HrWebApiOnPostgreSqlTests : IClassFixture<HrWebApiOnPostgreSqlTests.PostgresApp>
{
    private readonly PostgresApp _app;

    public HrWebApiOnPostgreSqlTests(PostgresApp app) => _app = app;

    /// <summary>Why the test cannot run, or null when a server is configured (./test.sh starts one).</summary>
    public static string? SkipReason =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OKR_TEST_POSTGRES")) ? "No PostgreSQL server configured: set OKR_TEST_POSTGRES, or run ./test.sh, which starts one." : null;

    public sealed class PostgresApp : HrWebApiTests.App
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            var server = Environment.GetEnvironmentVariable("OKR_TEST_POSTGRES") ?? "Host=127.0.0.1";
            builder.UseSetting("Database:Provider", "PostgreSql");
            builder.UseSetting("ConnectionStrings:Hr", new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "okr_hr_web_" + Guid.NewGuid().ToString("N") }.ToString());
        }
    }

    [PostgresFact]
    public Task A_quarter_runs_through_every_endpoint() => HrWebApiTests.QuarterAsync(_app);
}

/// <summary>A fact that is skipped, with the reason, when no PostgreSQL server is configured.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (HrWebApiOnPostgreSqlTests.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

