// The C# shown in README.md, docs/ and the package READMEs, compiled here line for line (see DocumentationSnippetTests).
#pragma warning disable CA1515, CA1034, CA2007, IDE0008
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using Okr.Core;
using Okr.Core.Access;
using Okr.Core.Alignment;
using Okr.Core.Events;
using Okr.Core.Http;
using Okr.Core.Rules;
using Okr.Core.Scoring;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Reporting;
using Okr.Storage.PostgreSql;
using Okr.Storage.Specification;
using Okr.Storage.Sqlite;

namespace Okr.Docs.Snippets;

public static class Snippets
{
    // README.md: the quick start (its using lines are at the top of this file).
    public static async Task ReadmeQuickStart()
    {
        IClock clock = SystemClock.Instance;
        var okr = new OkrService(new SqliteOkrStore("Data Source=okr.db"), clock);
        var tenant = new TenantId(Guid.Parse("0192f0a1-2b3c-7d4e-8f50-6172839405a6"));

        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, quarter.Id);
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id,
            "Make onboarding effortless", OwnerRef.Team("product"), clock, keyResults:
            [
                new KeyResult(KeyResultId.New(clock), "Ship the guided setup", new MilestoneMeasure()),
                new KeyResult(KeyResultId.New(clock), "Onboarding completion", new IncreaseMeasure(42.5m, 75m, unit: MeasureUnit.Percent)),
                new KeyResult(KeyResultId.New(clock), "Time to first invoice", new DecreaseMeasure(30m, 5m, unit: MeasureUnit.Custom("min"))),
            ]));
        await okr.Objectives.ActivateAsync(tenant, objective.Id);                  // rules: 3–5 key results, open period
        await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[1].Id, 51.5m, OwnerRef.Person("E1042"));
        var summary = await okr.Progress.SummarizeAsync(tenant, quarter.Id);       // roll-up, health, period score
    }

    // docs/cadence.md: cadences on the tenant, an owner, an objective and a key result; who owes what; where a cadence comes from
    public static async Task Cadence(IServiceCollection services, OkrService okr, TenantId tenant, PeriodId quarter, Objective objective, IClock clock)
    {
        services.AddOkr(o => o
            .UseCheckInCadence(CheckInCadence.Weekly(IsoDayOfWeek.Monday), new Dictionary<OwnerRef, CheckInCadence>
            {
                [OwnerRef.Team("finance")] = CheckInCadence.Monthly(dayOfMonth: 25, graceDays: 3),
            }));

        var fortnightly = objective.WithCadence(CheckInCadence.EveryWeeks(2, IsoDayOfWeek.Friday, graceDays: 1), clock);
        var onDates = objective.KeyResults[0].WithCadence(CheckInCadence.OnDates([new LocalDate(2026, 2, 2), new LocalDate(2026, 3, 2)]));

        var owed = await okr.CheckIns.DueAsync(tenant, quarter, clock.GetCurrentInstant());
        foreach (var due in owed.Where(d => d.IsOverdue))
        {
            Console.WriteLine($"{due.Owner} owes '{due.KeyResult.Title}' since {due.Since} ({due.Missed} missed, {due.OverdueBy.TotalHours:0} h overdue)");
        }

        var cadence = await okr.CheckIns.CadenceOfAsync(tenant, objective.KeyResults[1].Id);
        Console.WriteLine(cadence);   // "weekly on Monday, the tenant's", or where else it was set
    }

    // docs/metric-sources.md: a bound key result, a pushed reading, a source the hosted job polls
    public static async Task MetricSources(IServiceCollection services, OkrService okr, TenantId tenant, KeyResult keyResult, Instant at)
    {
        var bound = keyResult.WithMetric(new MetricBinding("crm", "pipeline-eur"));

        var result = await okr.CheckIns.RecordFromSourceAsync(tenant, new MetricReading(bound.Id, "crm", "pipeline-eur", at, 125_000m), OwnerRef.Person("svc-crm"));
        if (result.Outcome == MetricRecordOutcome.Older)
        {
            // a newer figure from the CRM is already recorded: nothing was written
        }

        await okr.CheckIns.RecordFromSourceAsync(tenant, new MetricReading(bound.Id, "crm", "pipeline-eur", at, 5_000m, MetricReadingMode.Add), OwnerRef.Person("svc-crm"));

        services.AddOkr(o => o.AddMetricSource<CrmSource>());
    }

    public sealed class CrmSource : IMetricSource
    {
        public string Name => "crm";

        public OwnerRef Owner => OwnerRef.Person("svc-crm");

        public Duration PollInterval => Duration.FromMinutes(15);

        public ValueTask<IReadOnlyCollection<TenantId>> TenantsAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyCollection<TenantId>>([new TenantId(Guid.Parse("0192f0a1-2b3c-7d4e-8f50-6172839405a6"))]);

        public ValueTask<IReadOnlyDictionary<string, MetricValue>> ReadAsync(TenantId tenant, IReadOnlyCollection<string> keys, Instant asOf, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, MetricValue>>(keys.ToDictionary(k => k, k => new MetricValue(125_000m, asOf)));   // ask the CRM here
    }

    // src/Okr.Core/README.md
    public static async Task CoreReadme()
    {
        IClock clock = SystemClock.Instance;
        var okr = new OkrService(new InMemoryOkrStore(), clock);
        var tenant = new TenantId(Guid.Parse("0192f0a1-2b3c-7d4e-8f50-6172839405a6"));
        var summary = await okr.Progress.SummarizeAsync(tenant, PeriodId.New(clock));
    }

    // docs/dependency-injection.md and src/Okr.Core.DependencyInjection/README.md
    public static void DependencyInjection(IServiceCollection services, IServiceProvider provider)
    {
        services.AddOkr(okr => okr
            .UseSqlite("Data Source=okr.db")                 // or .UsePostgreSql("Host=…"), .UseInMemoryStore(), .UseStore(sp => …)
            .UseTimeZone("Europe/Berlin")
            .UseScoring(SteppedScoringPolicy.Default)
            .UseRollup(WeightedMeanRollup.Default, RollupSource.Blend(0.5))
            .ConfigureRules(rules => rules.With(new MyCompanyRule()))
            .UseAccessPolicy<MyOrgChartPolicy>()             // who may read and write which owner's objectives
            .AddEventSubscriber<MyNotifier>());

        // later
        var okr = provider.GetRequiredService<OkrService>();
    }

    // docs/dependency-injection.md: options from configuration, scoped policies and subscribers
    public static void DependencyInjectionConfiguration(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOkr(configuration.GetSection("Okr"), okr => okr
            .UseSqlite()                                     // its settings from Okr:Store
            .UseScoring(SteppedScoringPolicy.Default));      // code applies after the section

        services.AddOkr(okr => okr
            .UseAccessPolicy<MyOrgChartPolicy>(ServiceLifetime.Scoped)   // a policy per request; OkrService becomes scoped
            .AddEventSubscriber<MyNotifier>(ServiceLifetime.Scoped));    // a scope per delivered event

        services.AddHealthChecks().AddOkrStore(tags: ["ready"]);     // reachable, and at this library's schema version
    }

    // docs/scaling.md: migrations a DBA can run
    public static async Task Migrations(IServiceCollection services, string appRole, string ownerRoleConnectionString)
    {
        services.AddOkr(okr => okr.UsePostgreSql(o => { o.ConnectionString = appRole; o.AutoMigrate = false; }));

        var script = PostgreSqlOkrStore.MigrationScript(fromVersion: 0);   // what the store would run, for review
        await new PostgreSqlOkrStore(ownerRoleConnectionString).MigrateAsync();   // or as a deployment step
    }

    // docs/web-api.md
    public static async Task<(int Status, string? ETag)> WebApi(OkrService okr, TenantId tenant, ObjectiveId id, string? ifMatch, string title)
    {
        try
        {
            var expected = OkrETag.ExpectedVersion(ifMatch, id.ToString());   // null without If-Match
            var edited = await okr.Objectives.EditAsync(tenant, id, (o, clock) => o.WithTitle(title, clock), expected);
            return (200, OkrETag.For(edited));                                   // the next If-Match
        }
        catch (Exception ex) when (OkrProblem.From(ex, versionFromIfMatch: ifMatch is not null) is { } problem)
        {
            return (problem.Status, null);   // write problem.Type, Title, Detail and Errors as application/problem+json
        }
    }

    // docs/web-api.md: JSON for the model types
    public static void WebJson(System.Text.Json.JsonSerializerOptions serializerOptions)
    {
        OkrJson.ConfigureWebOptions(serializerOptions);   // e.g. in ConfigureHttpJsonOptions(o => …(o.SerializerOptions))
    }

    // docs/storage.md: shared transactions
    public static async Task SharedTransaction(NpgsqlDataSource dataSource, PostgreSqlOkrStore store, IClock clock, TenantId tenant, OkrPeriod period)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // ... the host's own writes on connection/transaction ...
        var okr = new OkrService(store.WithTransaction(transaction), clock);
        await okr.Periods.CreateAsync(tenant, period);   // in the host's transaction, in a savepoint of its own
        await transaction.CommitAsync();                 // both, or (RollbackAsync) neither
    }

    // docs/dependency-injection.md: per-tenant settings
    public static async Task TenantSettings(IServiceCollection services, OkrService okr, TenantId tenant)
    {
        services.AddOkr(okr => okr.UseTenantSettings<CustomerSettings>());   // each tenant's zone, rules, scoring, health, grades

        var options = await okr.OptionsForAsync(tenant);   // what applies in the tenant
        okr.InvalidateTenantSettings(tenant);              // after the host changed the tenant's settings
    }

    // src/Okr.Core.DependencyInjection/README.md
    public static void DependencyInjectionReadme(IServiceCollection services, IServiceProvider provider)
    {
        services.AddOkr(okr => okr
            .UseSqlite("Data Source=okr.db")
            .UseTimeZone("Europe/Berlin")
            .UseScoring(SteppedScoringPolicy.Default)
            .AddEventSubscriber<MyNotifier>());

        var okr = provider.GetRequiredService<OkrService>();
    }

    // docs/alignment.md
    public static void Alignment(IReadOnlyList<Objective> objectives, IReadOnlyDictionary<KeyResultId, decimal> valuesByKeyResultId, Objective companyObjective, KeyResultId keyResultId)
    {
        var graph = AlignmentGraph.Build(objectives);
        var rollup = graph.Rollup(OkrScoring.Default, valuesByKeyResultId);     // O(V + E)
        double? company = rollup.Progress(companyObjective.Id);
        var next = rollup.Update(keyResultId, 57.5m);   // one check-in: only the ancestors, old result unchanged
    }

    // docs/storage.md
    public static async Task Storage(TenantId tenant, IClock clock, KeyResult[] keyResults, KeyResultId keyResultId)
    {
        var store = new SqliteOkrStore("Data Source=okr.db");
        await store.InitializeAsync();          // optional: otherwise the first call creates or migrates the schema

        var okr = new OkrService(store, SystemClock.Instance, new OkrServiceOptions { TimeZone = DateTimeZoneProviders.Tzdb["Europe/Berlin"] });
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, quarter.Id);
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Grow", OwnerRef.Team("sales"), clock, keyResults: keyResults));
        await okr.Objectives.ActivateAsync(tenant, objective.Id);          // 3–5 key results, open period
        await okr.CheckIns.RecordAsync(tenant, keyResultId, 42.5m, OwnerRef.Person("E1042"));
        var summary = await okr.Progress.SummarizeAsync(tenant, quarter.Id);  // roll-up, health, score, coverage
        var grades = await okr.Periods.CloseAsync(tenant, quarter.Id);       // grades frozen, period read-only
    }

    // src/Okr.Storage.Sqlite/README.md
    public static void SqliteReadme(IServiceCollection services)
    {
        var okr = new OkrService(new SqliteOkrStore("Data Source=okr.db"), SystemClock.Instance);
        // or, with Okr.Core.DependencyInjection:
        services.AddOkr(okr => okr.UseSqlite("Data Source=okr.db"));
    }

    // docs/scaling.md
    public static async Task Scaling(IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        {
            // One data source per process: Npgsql pools connections inside it.
            var store = new PostgreSqlOkrStore("Host=db;Database=okr;Username=okr;Password=…;Maximum Pool Size=50");
            await store.InitializeAsync();   // optional; otherwise the first call migrates
            var okr = new OkrService(store, SystemClock.Instance, new OkrServiceOptions { TimeZone = DateTimeZoneProviders.Tzdb["Europe/Berlin"] });
        }

        services.AddOkr(okr => okr
            .UsePostgreSql(o => { o.ConnectionString = configuration.GetConnectionString("okr")!; o.CopyThreshold = 32; })
            .UseTimeZone("Europe/Berlin"));

        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
            var store = new PostgreSqlOkrStore(dataSource);
        }
    }

    // src/Okr.Storage.PostgreSql/README.md
    public static async Task PostgreSqlReadme(IServiceCollection services)
    {
        await using var store = new PostgreSqlOkrStore("Host=db;Username=okr;Password=…;Database=okr");
        var okr = new OkrService(store, SystemClock.Instance);
        // or, with Okr.Core.DependencyInjection:
        services.AddOkr(okr => okr.UsePostgreSql("Host=db;Username=okr;Password=…;Database=okr"));
    }

    // src/Okr.Reporting/README.md
    // docs/events.md: delivery with the DI package, and pulling from the outbox without a hosted service.
    public static async Task Events(IServiceCollection services, string connectionString, IOkrStore store, IClock clock)
    {
        services.AddOkr(okr => okr
            .UsePostgreSql(connectionString)
            .AddEventSubscriber<SearchIndexUpdater>()   // resolved from the container
            .AddEventDispatcher(new OkrEventDispatcherOptions { RetryMax = Duration.FromMinutes(10) }));

        var outbox = (IOkrEventOutbox)store;
        foreach (var lease in await outbox.LeaseAsync("nightly-job", clock.GetCurrentInstant(), Duration.FromMinutes(5), maxTenants: 10))
        {
            var page = await outbox.ReadEventsAsync(lease.Tenant, lease.DeliveredThrough, limit: 500);
            foreach (var e in page)
            {
                await Forward(e.ToJson());
            }

            if (page.Count > 0)
            {
                await outbox.AcknowledgeAsync(lease, page[^1].Sequence, clock.GetCurrentInstant() + Duration.FromMinutes(5));
            }

            await outbox.ReleaseAsync(lease, failure: null);
        }

        static Task Forward(string json) => Task.CompletedTask;
    }

    public static async Task Dashboards(OkrService okr, TenantId tenant, OkrPeriod quarter, ObjectiveId departmentObjective, OwnerRef sales, OwnerRef support)
    {
        // A department's objective and everything aligned under it.
        var department = await okr.Progress.SummarizeAsync(tenant, quarter.Id, new SummaryScope { Subtree = departmentObjective });

        // Two owners' objectives, a page of 50 at a time (ids ascending; pass NextAfter for the next page).
        var page = await okr.Progress.SummarizeAsync(tenant, quarter.Id, new SummaryScope { Owners = [sales, support], Limit = 50 });
        var next = await okr.Progress.SummarizeAsync(tenant, quarter.Id, new SummaryScope { Owners = [sales, support], Limit = 50, After = page.NextAfter });

        // The top three levels of the tree (a company view).
        var company = await okr.Progress.SummarizeAsync(tenant, quarter.Id, new SummaryScope { Levels = 3 });
        _ = (department, next, company);
    }

    // docs/errors.md: localising violations by code
    static string Localise(OkrViolation violation, IReadOnlyDictionary<string, string> templates, CultureInfo culture) =>
        templates.TryGetValue(violation.Code, out var template) ? string.Format(culture, template, violation.Member) : violation.Message;

    public static string LocaliseFirst(OkrValidationException error, IReadOnlyDictionary<string, string> templates) =>
        Localise(error.Violations[0], templates, CultureInfo.GetCultureInfo("de-DE"));

    // docs/scoring.md: an ordinal key result
    public static async Task OrdinalKeyResult(OkrService okr, TenantId tenant, IClock clock, OwnerRef author)
    {
        var feedback = new KeyResult(KeyResultId.New(clock), "Partner feedback", OrdinalMeasure.Default);
        await okr.CheckIns.RecordAsync(tenant, feedback.Id, OrdinalMeasure.Default.ValueOf("target"), author);
    }

    public static async Task ReportingReadme(OkrService okr, TenantId tenant, PeriodId quarterId)
    {
        var report = await PeriodReport.CreateAsync(okr, tenant, quarterId);
        TerminalReport.Write(report, Console.Out);
        await File.WriteAllTextAsync("okr-report.html", HtmlReport.Render(report));
    }
}

// docs/writing-a-store.md and src/Okr.Storage.Specification/README.md: the kit run against MyStore, for real.
public class MyStoreConformance : OkrStoreSpecification
{
    protected override ValueTask<IOkrStore> CreateStoreAsync() => ValueTask.FromResult<IOkrStore>(new MyStore());

    // Optional: clean up after each test (the default disposes the store when it is disposable).
    protected override ValueTask ReleaseStoreAsync(IOkrStore store) => ValueTask.CompletedTask;
}

/// <summary>A store of one's own: here it hands every call to the in-memory store.</summary>
public sealed class MyStore : IOkrStore, IOkrEventOutbox
{
    private readonly InMemoryOkrStore _inner = new();

    public ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default) => _inner.CommitAsync(tenant, changes, cancellationToken);

    public ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) => _inner.GetPeriodContentAsync(tenant, period, cancellationToken);

    public ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) => _inner.GetPeriodAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, CancellationToken cancellationToken = default) => _inner.ListPeriodsAsync(tenant, cancellationToken);

    public ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) => _inner.GetObjectiveAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) => _inner.ListPeriodHistoryAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) => _inner.ListObjectiveHistoryAsync(tenant, id, cancellationToken);

    public ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) => _inner.FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken);

    public IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default) => _inner.ListObjectivesAsync(tenant, query, cancellationToken);

    public ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default) => _inner.GetCheckInAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) => _inner.GetHistoryAsync(tenant, keyResult, cancellationToken);

    public ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default) => _inner.GetValuesAsOfAsync(tenant, keyResults, effectiveAt, knownAt, cancellationToken);

    public ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) => _inner.ImportAsync(tenant, document, progress, cancellationToken);

    public ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default) => _inner.ExportAsync(tenant, period, cancellationToken);

    // The outbox (docs/events.md): leases, reads, acknowledgements and pruning of the events CommitAsync wrote.
    public ValueTask<IReadOnlyList<OkrEventLease>> LeaseAsync(string owner, Instant now, Duration duration, int maxTenants, IReadOnlyCollection<TenantId>? tenants = null, CancellationToken cancellationToken = default) => _inner.LeaseAsync(owner, now, duration, maxTenants, tenants, cancellationToken);

    public ValueTask<IReadOnlyList<OkrEvent>> ReadEventsAsync(TenantId tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) => _inner.ReadEventsAsync(tenant, afterSequence, limit, cancellationToken);

    public ValueTask<bool> AcknowledgeAsync(OkrEventLease lease, long throughSequence, Instant leaseUntil, CancellationToken cancellationToken = default) => _inner.AcknowledgeAsync(lease, throughSequence, leaseUntil, cancellationToken);

    public ValueTask<bool> ReleaseAsync(OkrEventLease lease, OkrEventFailure? failure, CancellationToken cancellationToken = default) => _inner.ReleaseAsync(lease, failure, cancellationToken);

    public ValueTask<long> PruneAsync(Instant occurredBefore, CancellationToken cancellationToken = default) => _inner.PruneAsync(occurredBefore, cancellationToken);

    public ValueTask<OkrEventStreamState?> GetStreamStateAsync(TenantId tenant, CancellationToken cancellationToken = default) => _inner.GetStreamStateAsync(tenant, cancellationToken);
}

public sealed class MyCompanyRule : IObjectiveRule
{
    public IEnumerable<OkrViolation> Check(ObjectiveChange change) => [];
}

public sealed class MyOrgChartPolicy : IOkrAccessPolicy
{
    public ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(OkrRelation.Owner);

    public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}

public sealed class MyNotifier : IOkrEventSubscriber
{
    public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

public sealed class SearchIndexUpdater : IOkrEventSubscriber
{
    public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

public sealed class CustomerSettings(IReadOnlyDictionary<TenantId, string> zoneByCustomer) : IOkrTenantSettingsProvider
{
    public ValueTask<OkrTenantSettings?> GetAsync(TenantId tenant, CancellationToken cancellationToken) =>
        ValueTask.FromResult(zoneByCustomer.TryGetValue(tenant, out var zone)
            ? new OkrTenantSettings { TimeZone = DateTimeZoneProviders.Tzdb[zone] }   // null members keep the process-wide values
            : null);
}
