using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Access;
using Okr.Core.Events;
using Okr.Core.Health;
using Okr.Core.Scoring;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Storage.Sqlite;

namespace Okr.Core.DependencyInjection.Tests;

/// <summary>Options the Microsoft.Extensions way (configuration binding, start-up validation) and scoped policies and subscribers.</summary>
public class OptionsAndLifetimeTests
{
    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void A_cadence_and_a_culture_bind_from_the_Okr_section()
    {
        using var provider = new ServiceCollection()
            .AddOkr(Configuration(new()
            {
                ["Okr:Culture"] = "de-DE",
                ["Okr:Cadence:Kind"] = "EveryWeeks",
                ["Okr:Cadence:Day"] = "Friday",
                ["Okr:Cadence:Weeks"] = "2",
                ["Okr:Cadence:GraceDays"] = "1",
            }).GetSection("Okr"))
            .BuildServiceProvider();
        var options = provider.GetRequiredService<OkrService>().Options;
        Assert.Equal((CheckInCadence.EveryWeeks(2, IsoDayOfWeek.Friday, 1), "de-DE"), (options.Cadence, options.Culture?.Name));

        using var dated = new ServiceCollection()
            .AddOkr(Configuration(new() { ["Okr:Cadence:Kind"] = "dates", ["Okr:Cadence:Dates"] = "2026-02-02, 2026-03-02" }).GetSection("Okr"))
            .BuildServiceProvider();
        Assert.Equal(CheckInCadence.OnDates([new LocalDate(2026, 2, 2), new LocalDate(2026, 3, 2)]), dated.GetRequiredService<OkrService>().Options.Cadence);

        using var bad = new ServiceCollection()
            .AddOkr(Configuration(new() { ["Okr:Cadence:Kind"] = "Monthly", ["Okr:Cadence:DayOfMonth"] = "32", ["Okr:Cadence:Dates"] = "soon" }).GetSection("Okr"))
            .BuildServiceProvider();
        var failures = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<OkrService>()).Failures.ToList();
        Assert.Contains(failures, f => f.StartsWith("Okr:Cadence:DayOfMonth: DayOfMonth must be between 1 and 31; it is 32.", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Okr:Cadence:Dates: 'soon' is not an ISO date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Options_bind_from_the_Okr_section_and_code_applies_after_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"okr-config-{Guid.NewGuid():N}.db");
        var configuration = Configuration(new()
        {
            ["Okr:TimeZone"] = "Europe/Oslo",
            ["Okr:RequireChildPeriodInsideParent"] = "false",
            ["Okr:HiddenInRollups"] = "Excluded",
            ["Okr:Rules:MinKeyResults"] = "2",
            ["Okr:Rules:MaxKeyResults"] = "4",
            ["Okr:Rules:CheckInGraceAfterEnd"] = "3.00:00:00",
            ["Okr:Health:Thresholds"] = "Ratio",
            ["Okr:Health:OnTrackAtLeast"] = "0.9",
            ["Okr:Health:AtRiskAtLeast"] = "0.6",
            ["Okr:Health:StaleAfter"] = "21.00:00:00",
            ["Okr:Health:LowConfidenceBelow"] = "0.3",
            ["Okr:Assessment:AspirationalExpectation"] = "0.6",
            ["Okr:Store:ConnectionString"] = $"Data Source={file}",
            ["Okr:Store:AnalyzeThreshold"] = "",
        });
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        await using var provider = new ServiceCollection()
            .AddOkr(configuration.GetSection("Okr"), okr => okr.UseSqlite().UseClock(clock).UseScoring(GoogleGradingPolicy.Instance))
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<OkrServiceOptions>>().Value;
        Assert.Equal("Europe/Oslo", options.TimeZone.Id);
        Assert.False(options.RequireChildPeriodInsideParent);
        Assert.Equal(HiddenObjectives.Excluded, options.HiddenInRollups);
        var health = Assert.IsType<PaceHealthPolicy>(options.Health);
        Assert.Equal(new RatioThresholds(0.9, 0.6), health.Options.Thresholds);
        Assert.Equal((Duration.FromDays(21), 0.3), (health.Options.StaleAfter, health.Options.LowConfidenceBelow));
        Assert.Equal(new AssessmentOptions { AspirationalExpectation = 0.6 }, options.Assessment);
        Assert.IsType<GoogleGradingPolicy>(options.Scoring.Policy);
        var store = provider.GetRequiredService<IOptions<SqliteOkrStoreOptions>>().Value;
        Assert.Equal(($"Data Source={file}", (int?)null), (store.ConnectionString, store.AnalyzeThreshold));
        Assert.IsType<SqliteOkrStore>(provider.GetRequiredService<IOkrStore>());

        // The rule ranges from configuration are the ones the service enforces: 2 to 4 key results.
        var okr = provider.GetRequiredService<OkrService>();
        Assert.Equal(options, okr.Options);
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, quarter.Id);
        var two = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Two", OwnerRef.Team("t"), clock, keyResults: KeyResults(clock, 2)));
        var five = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Five", OwnerRef.Team("t"), clock, keyResults: KeyResults(clock, 5)));
        await okr.Objectives.ActivateAsync(tenant, two.Id);
        var error = await Assert.ThrowsAsync<OkrValidationException>(() => okr.Objectives.ActivateAsync(tenant, five.Id).AsTask());
        Assert.Contains("4", Assert.Single(error.Violations).Message, StringComparison.Ordinal);

        // And the check-in window's grace: 3 days after the quarter's end, not 14.
        clock.Reset(Instant.FromUtc(2026, 4, 10, 9, 0));
        var late = await Assert.ThrowsAsync<OkrValidationException>(() => okr.CheckIns.RecordAsync(tenant, two.KeyResults[0].Id, 1, OwnerRef.Person("p"), effectiveAt: Instant.FromUtc(2026, 4, 4, 0, 0)).AsTask());
        Assert.Equal(OkrErrorCodes.CheckInOutsidePeriod, Assert.Single(late.Violations).Code);

        // Code registered after the section wins over it.
        using var overridden = new ServiceCollection().AddOkr(configuration.GetSection("Okr"), okr => okr.UseTimeZone("Europe/Berlin")).BuildServiceProvider();
        Assert.Equal("Europe/Berlin", overridden.GetRequiredService<OkrService>().Options.TimeZone.Id);
    }

    private static List<KeyResult> KeyResults(IClock clock, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new KeyResult(KeyResultId.New(clock), $"KR {i}", new IncreaseMeasure(0, 100)))];

    [Fact]
    public async Task Invalid_options_fail_start_up_with_every_problem_named_by_its_path()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Okr:TimeZone"] = "Mars/Olympus",
            ["Okr:HiddenInRollups"] = "Sometimes",
            ["Okr:RequireChildPeriodInsideParent"] = "maybe",
            ["Okr:Rules:MinKeyResults"] = "9",
            ["Okr:Rules:MaxKeyResults"] = "many",
            ["Okr:Health:AtRiskBelow"] = "0.5",
            ["Okr:Health:OffTrackBelow"] = "0.3",
            ["Okr:Health:StaleAfter"] = "two weeks",
            ["Okr:Assessment:CommittedExpectation"] = "1.5",
            ["Okr:Store:AnalyzeThreshold"] = "0",
            ["Okr:Culture"] = "xx-Nowhere",
            ["Okr:Cadence:Kind"] = "Daily",
        });
        builder.Services.AddOkr(builder.Configuration.GetSection("Okr"), okr => okr.UseSqlite());
        using var host = builder.Build();

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var failures = (thrown is AggregateException all ? all.InnerExceptions : [thrown]).Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        string[] expected =
        [
            "Okr:TimeZone: 'Mars/Olympus' is not a TZDB time zone id",
            "Okr:RequireChildPeriodInsideParent: 'maybe' is not true or false.",
            "Okr:HiddenInRollups: 'Sometimes' is not one of Counted, Excluded.",
            "Okr:Rules:MaxKeyResults: 'many' is not a whole number.",
            "Okr:Rules:MaxKeyResults: MaxKeyResults (5) must be ≥ 1 and ≥ MinKeyResults (9).",
            "Okr:Health:StaleAfter: 'two weeks' is not a time span",
            "Okr:Health:OffTrackBelow: ",
            "Assessment:CommittedExpectation: must lie between 0 and 1; it is 1.5.",
            "Store:AnalyzeThreshold: AnalyzeThreshold must be at least 1 (or null for never); it is 0.",
            "Okr:Culture: 'xx-Nowhere' is not a culture name",
            "Okr:Cadence:Kind: 'Daily' is not Weekly, EveryWeeks, Monthly or Dates.",
        ];
        foreach (var problem in expected)
        {
            Assert.Contains(failures, f => f.StartsWith(problem, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, failures.Count);
    }

    [Fact]
    public async Task A_scoped_policy_uses_the_requests_own_scoped_service_and_the_service_is_scoped_with_it()
    {
        await using var provider = new ServiceCollection()
            .AddScoped<OrgChartSession>()
            .AddOkr(okr => okr.UseAccessPolicy<OrgChartPolicy>(ServiceLifetime.Scoped))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        // Never from the root: the scoped policy would outlive its request.
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<OkrService>());

        var tenant = new TenantId(Guid.NewGuid());
        ObjectiveId secret;
        await using (var setup = provider.CreateAsyncScope())
        {
            var system = setup.ServiceProvider.GetRequiredService<OkrService>();
            var period = await system.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
            secret = (await system.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Team only", OwnerRef.Person("ann"), system.Clock, visibility: Visibility.Team))).Id;
        }

        // Two requests: in one, the session (a scoped service, as a DbContext is) says eve manages ann; in the other it does not.
        await using var managing = provider.CreateAsyncScope();
        await using var other = provider.CreateAsyncScope();
        managing.ServiceProvider.GetRequiredService<OrgChartSession>().Reports.Add((OwnerRef.Person("eve"), OwnerRef.Person("ann")));
        var asManager = managing.ServiceProvider.GetRequiredService<OkrService>();
        var asOther = other.ServiceProvider.GetRequiredService<OkrService>();

        Assert.Equal(secret, (await asManager.As(OwnerRef.Person("eve")).Objectives.GetAsync(tenant, secret)).Id);
        await Assert.ThrowsAsync<OkrNotFoundException>(() => asOther.As(OwnerRef.Person("eve")).Objectives.GetAsync(tenant, secret).AsTask());
        Assert.NotSame(asManager.Options.AccessPolicy, asOther.Options.AccessPolicy);
        Assert.Same(asManager, managing.ServiceProvider.GetRequiredService<OkrService>());
    }

    [Fact]
    public async Task A_tenant_settings_provider_registered_by_the_host_gives_two_tenants_their_own_zones()
    {
        var (berlin, tokyo) = (new TenantId(Guid.NewGuid()), new TenantId(Guid.NewGuid()));
        var customers = new CustomerTable { Zones = { [berlin] = "Europe/Berlin", [tokyo] = "Asia/Tokyo" } };
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 12, 0));
        await using var provider = new ServiceCollection()
            .AddSingleton(customers)
            .AddOkr(Configuration(new() { ["Okr:TenantSettingsCacheDuration"] = "00:01:00" }).GetSection("Okr"), okr => okr.UseClock(clock).UseTenantSettings<CustomerTable>())
            .BuildServiceProvider();
        var okr = provider.GetRequiredService<OkrService>();
        Assert.Same(customers, okr.Options.TenantSettings);
        Assert.Equal(Duration.FromMinutes(1), okr.Options.TenantSettingsCacheDuration);

        // Noon UTC on 1 January: the quarter began 13 hours ago in Berlin and 21 in Tokyo.
        var shares = new List<double>();
        foreach (var tenant in new[] { berlin, tokyo })
        {
            var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
            await okr.Periods.ActivateAsync(tenant, quarter.Id);
            var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Grow", OwnerRef.Team("t"), clock, keyResults: KeyResults(clock, 3)));
            shares.Add((await okr.Progress.GetObjectiveStatusAsync(tenant, objective.Id)).Health.ElapsedShare);
        }

        // The quarter lasts 2,160 hours in Tokyo and one fewer in Berlin (summer time begins on 29 March).
        Assert.Equal(13.0 / 2159, shares[0], 12);
        Assert.Equal(21.0 / 2160, shares[1], 12);
    }

    public sealed class CustomerTable : IOkrTenantSettingsProvider
    {
        public Dictionary<TenantId, string> Zones { get; } = [];

        public ValueTask<OkrTenantSettings?> GetAsync(TenantId tenant, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Zones.TryGetValue(tenant, out var zone) ? new OkrTenantSettings { TimeZone = DateTimeZoneProviders.Tzdb[zone] } : null);
    }

    /// <summary>A request's view of the org chart: scoped, as the host's DbContext would be.</summary>
    public sealed class OrgChartSession
    {
        public List<(OwnerRef Manager, OwnerRef Report)> Reports { get; } = [];
    }

    public sealed class OrgChartPolicy(OrgChartSession session) : IOkrAccessPolicy
    {
        public ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) =>
            ValueTask.FromResult(actor == owner ? OkrRelation.Owner : session.Reports.Contains((actor, owner)) ? OkrRelation.Team : OkrRelation.None);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(actor == owner);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    [Fact]
    public async Task A_scoped_subscriber_gets_each_event_in_a_scope_of_its_own_disposed_after_it()
    {
        var journal = new Journal();
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        await using var provider = new ServiceCollection()
            .AddSingleton(journal)
            .AddScoped<UnitOfWork>()
            .AddOkr(okr => okr.UseClock(clock).AddEventSubscriber<WritingSubscriber>(ServiceLifetime.Scoped))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var okr = provider.GetRequiredService<OkrService>();
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Grow", OwnerRef.Team("t"), clock));

        Assert.Equal(2, await provider.GetRequiredService<OkrEventDispatcher>().DispatchOnceAsync());
        Assert.Equal([OkrEventTypes.PeriodCreated, OkrEventTypes.ObjectiveCreated], journal.Handled.Select(h => h.Type));
        Assert.Equal(2, journal.Handled.Select(h => h.Work).Distinct().Count());
        Assert.All(journal.Handled, h => Assert.False(h.DisposedWhileHandling));
        Assert.All(journal.Handled, h => Assert.True(h.Work.Disposed));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddOkr(o => o.AddEventSubscriber<WritingSubscriber>(ServiceLifetime.Transient)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddOkr(o => o.UseAccessPolicy<OrgChartPolicy>(ServiceLifetime.Transient)));
    }

    public sealed class Journal
    {
        public List<(string Type, UnitOfWork Work, bool DisposedWhileHandling)> Handled { get; } = [];
    }

    public sealed class UnitOfWork : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    public sealed class WritingSubscriber(UnitOfWork work, Journal journal) : IOkrEventSubscriber
    {
        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            journal.Handled.Add((okrEvent.Type, work, work.Disposed));
            return ValueTask.CompletedTask;
        }
    }
}
