using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Events;
using Okr.Core.Health;
using Okr.Core.Rules;
using Okr.Core.Scoring;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Storage.PostgreSql;
using Okr.Storage.Sqlite;

namespace Okr.Core.DependencyInjection.Tests;

public class AddOkrTests
{
    [Fact]
    public async Task Defaults_are_the_in_memory_store_linear_scoring_the_system_clock_and_utc()
    {
        using var provider = new ServiceCollection().AddOkr().BuildServiceProvider();
        var okr = provider.GetRequiredService<OkrService>();
        Assert.IsType<InMemoryOkrStore>(provider.GetRequiredService<IOkrStore>());
        Assert.Same(SystemClock.Instance, okr.Clock);
        Assert.IsType<LinearScoringPolicy>(okr.Options.Scoring.Policy);
        Assert.IsType<WeightedMeanRollup>(okr.Options.Scoring.Rollup);
        Assert.Equal(DateTimeZone.Utc, okr.Options.TimeZone);
        Assert.Same(okr, provider.GetRequiredService<OkrService>());
        await AssertWritesGoToAsync(okr, provider.GetRequiredService<IOkrStore>());
    }

    /// <summary>The service writes to this store (the raw store is not on the service's surface).</summary>
    private static async Task AssertWritesGoToAsync(OkrService okr, IOkrStore store)
    {
        var tenant = new TenantId(Guid.NewGuid());
        var period = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        Assert.Equal(period, await store.GetPeriodAsync(tenant, period.Id));
    }

    [Fact]
    public void Calling_AddOkr_twice_is_harmless_and_configures_the_same_setup()
    {
        var services = new ServiceCollection()
            .AddOkr(okr => okr.UseTimeZone("Europe/Berlin"))
            .AddOkr(okr => okr.UseScoring(GoogleGradingPolicy.Instance));
        Assert.Single(services, d => d.ServiceType == typeof(OkrService));
        Assert.Single(services, d => d.ServiceType == typeof(IOkrStore));
        Assert.Single(services, d => d.ServiceType == typeof(IClock));
        using var provider = services.BuildServiceProvider();
        var okr = provider.GetRequiredService<OkrService>();
        Assert.Equal("Europe/Berlin", okr.Options.TimeZone.Id);
        Assert.IsType<GoogleGradingPolicy>(okr.Options.Scoring.Policy);
    }

    [Fact]
    public async Task Registrations_the_host_made_first_are_kept()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var store = new InMemoryOkrStore();
        var services = new ServiceCollection().AddSingleton<IClock>(clock).AddSingleton<IOkrStore>(store).AddOkr();
        using var provider = services.BuildServiceProvider();
        var okr = provider.GetRequiredService<OkrService>();
        Assert.Same(clock, okr.Clock);
        await AssertWritesGoToAsync(okr, store);
    }

    [Fact]
    public async Task Providers_replace_the_store()
    {
        var file = Path.Combine(Path.GetTempPath(), $"okr-di-{Guid.NewGuid():N}.db");
        using var sqlite = new ServiceCollection().AddOkr(okr => okr.UseSqlite($"Data Source={file}")).BuildServiceProvider();
        Assert.IsType<SqliteOkrStore>(sqlite.GetRequiredService<IOkrStore>());
        await AssertWritesGoToAsync(sqlite.GetRequiredService<OkrService>(), sqlite.GetRequiredService<IOkrStore>());

        using var sqliteByOptions = new ServiceCollection().AddOkr(okr => okr.UseSqlite(o => o.ConnectionString = $"Data Source={file}")).BuildServiceProvider();
        Assert.IsType<SqliteOkrStore>(sqliteByOptions.GetRequiredService<IOkrStore>());

        var services = new ServiceCollection().AddOkr(okr => okr.UsePostgreSql("Host=localhost;Database=okr;Username=okr"));
        Assert.Single(services, d => d.ServiceType == typeof(IOkrStore));
        using var postgres = services.BuildServiceProvider();
        Assert.IsType<PostgreSqlOkrStore>(postgres.GetRequiredService<IOkrStore>());

        using var back = new ServiceCollection().AddOkr(okr => okr.UseSqlite($"Data Source={file}").UseInMemoryStore()).BuildServiceProvider();
        Assert.IsType<InMemoryOkrStore>(back.GetRequiredService<IOkrStore>());
    }

    [Fact]
    public void Policies_clock_rules_and_expectations_are_configurable()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var health = new PaceHealthPolicy(new HealthOptions { Thresholds = new RatioThresholds() });
        using var provider = new ServiceCollection().AddOkr(okr => okr
            .UseClock(clock)
            .UseScoring(SteppedScoringPolicy.Default)
            .UseRollup(new WeakestRollup(), RollupSource.Blend(0.5))
            .UseHealth(health)
            .ConfigureRules(r => r.Without<KeyResultCountRule>())
            .UseAssessment(new AssessmentOptions { AspirationalExpectation = 0.6 })
            .RequireChildPeriodInsideParent(false)).BuildServiceProvider();
        var options = provider.GetRequiredService<OkrService>().Options;
        Assert.Same(clock, provider.GetRequiredService<OkrService>().Clock);
        Assert.IsType<SteppedScoringPolicy>(options.Scoring.Policy);
        Assert.IsType<WeakestRollup>(options.Scoring.Rollup);
        Assert.Equal(0.5, options.Scoring.Source.KeyResultShare);
        Assert.Same(health, options.Health);
        Assert.DoesNotContain(options.Rules.ObjectiveRules, r => r is KeyResultCountRule);
        Assert.Equal(0.6, options.Assessment.AspirationalExpectation);
        Assert.False(options.RequireChildPeriodInsideParent);
    }

    [Fact]
    public void Invalid_arguments_fail_at_the_call_and_invalid_options_when_they_are_made()
    {
        var services = new ServiceCollection();
        Assert.Contains("Europe/Berlin", Assert.Throws<OkrValidationException>(() => services.AddOkr(okr => okr.UseTimeZone("Mars/Olympus"))).Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionString", Assert.Throws<OkrValidationException>(() => services.AddOkr(okr => okr.UseSqlite(""))).Message, StringComparison.Ordinal);
        Assert.Contains("in-memory", Assert.Throws<OkrValidationException>(() => services.AddOkr(okr => okr.UseSqlite("Data Source=:memory:"))).Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionString", Assert.Throws<OkrValidationException>(() => services.AddOkr(okr => okr.UsePostgreSql("Nonsense=1"))).Message, StringComparison.Ordinal);
        Assert.Equal(2, Assert.Throws<OkrValidationException>(() => services.AddOkr(okr => okr.UseAssessment(new AssessmentOptions { CommittedExpectation = 1.5, AspirationalExpectation = double.NaN }))).Violations.Count);

        // Options set by a callback are checked as a whole when they are made (at start-up under a host), every problem named.
        using var provider = new ServiceCollection().AddOkr(okr => okr.UsePostgreSql(o => { o.ConnectionString = "Nonsense=1"; o.CopyThreshold = 0; })).BuildServiceProvider();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<IOkrStore>());
        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("Store:ConnectionString: ConnectionString is malformed", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Store:CopyThreshold: CopyThreshold must be at least 1; it is 0.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_registered_service_works_end_to_end()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        await using var provider = new ServiceCollection().AddOkr(okr => okr.UseClock(clock).UseTimeZone("Europe/Berlin")).BuildServiceProvider();
        var okr = provider.GetRequiredService<OkrService>();
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, quarter.Id);
        var krs = Enumerable.Range(0, 3).Select(i => new KeyResult(KeyResultId.New(clock), $"KR {i}", new IncreaseMeasure(0, 100))).ToList();
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Grow", OwnerRef.Team("t"), clock, keyResults: krs));
        await okr.Objectives.ActivateAsync(tenant, objective.Id);
        await okr.CheckIns.RecordAsync(tenant, krs[0].Id, 60, OwnerRef.Person("p"));
        var summary = await okr.Progress.SummarizeAsync(tenant, quarter.Id);
        Assert.Equal(0.2, summary.Score!.Value, 12);
    }

    public sealed class CountingSubscriber : IOkrEventSubscriber
    {
        public int Count { get; private set; }

        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            Count++;
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Registered_subscribers_receive_events_once_even_when_registered_twice()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var failures = new List<Exception>();
        await using var provider = new ServiceCollection()
            .AddOkr(okr => okr.UseClock(clock).AddEventSubscriber<CountingSubscriber>().OnSubscriberFailure((_, ex) => failures.Add(ex)))
            .AddOkr(okr => okr.AddEventSubscriber<CountingSubscriber>())
            .BuildServiceProvider();
        var okr = provider.GetRequiredService<OkrService>();
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Grow", OwnerRef.Team("t"), clock));

        // Delivered by the registered dispatcher, outside the writes: period created, objective created.
        var dispatcher = provider.GetRequiredService<OkrEventDispatcher>();
        Assert.Equal(2, await dispatcher.DispatchOnceAsync());
        Assert.Equal(2, Assert.Single(provider.GetServices<IOkrEventSubscriber>().OfType<CountingSubscriber>()).Count);
        Assert.Empty(failures);
        Assert.NotNull(dispatcher.Options.OnSubscriberFailure);
        Assert.Single(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>());
    }

    [Fact]
    public async Task Generic_overloads_use_the_hosts_own_registration_and_an_instance_added_twice_gets_each_event_once()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var (hosts, twice, other) = (new CountingSubscriber(), new CountingSubscriber(), new CountingSubscriber());
        var policy = new RecordingPolicy();
        var services = new ServiceCollection()
            .AddSingleton(hosts)                 // the host's configured subscriber and policy, registered by type
            .AddSingleton(policy);
        await using var provider = services
            .AddOkr(okr => okr.UseClock(clock).AddEventSubscriber<CountingSubscriber>().UseAccessPolicy<RecordingPolicy>().AddEventSubscriber(twice).AddEventSubscriber(other))
            .AddOkr(okr => okr.AddEventSubscriber(twice).AddEventSubscriber<CountingSubscriber>())
            .BuildServiceProvider();
        var okr = provider.GetRequiredService<OkrService>();
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Grow", OwnerRef.Team("t"), clock, visibility: Visibility.Private));

        Assert.Equal(2, await provider.GetRequiredService<OkrEventDispatcher>().DispatchOnceAsync());
        Assert.Equal((2, 2, 2), (hosts.Count, twice.Count, other.Count));
        Assert.Equal(3, provider.GetServices<IOkrEventSubscriber>().Count());

        // The policy the host registered is the one asked (a private objective's reader is checked).
        await okr.As(OwnerRef.Person("ann")).Objectives.GetAsync(tenant, objective.Id);
        Assert.Same(policy, okr.Options.AccessPolicy);
        Assert.Contains(OwnerRef.Person("ann"), policy.Actors);
    }

    private sealed class RecordingPolicy : Okr.Core.Access.IOkrAccessPolicy
    {
        public List<OwnerRef> Actors { get; } = [];

        public ValueTask<Okr.Core.Access.OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken)
        {
            Actors.Add(actor);
            return ValueTask.FromResult(Okr.Core.Access.OkrRelation.Owner);
        }

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }

    [Fact]
    public async Task An_access_policy_registered_through_AddOkr_is_enforced()
    {
        using var provider = new ServiceCollection().AddOkr(okr => okr.UseAccessPolicy<OwnersOnly>()).BuildServiceProvider();
        var service = provider.GetRequiredService<OkrService>();
        var tenant = new TenantId(Guid.NewGuid());
        var period = await service.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        var secret = await service.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Secret", OwnerRef.Person("ann"), service.Clock, visibility: Visibility.Private));

        Assert.IsType<OwnersOnly>(service.Options.AccessPolicy);
        Assert.Equal(secret, await service.As(OwnerRef.Person("ann")).Objectives.GetAsync(tenant, secret.Id));
        await Assert.ThrowsAsync<OkrNotFoundException>(() => service.As(OwnerRef.Person("eve")).Objectives.GetAsync(tenant, secret.Id).AsTask());
    }

    private sealed class OwnersOnly : Okr.Core.Access.IOkrAccessPolicy
    {
        public ValueTask<Okr.Core.Access.OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) =>
            ValueTask.FromResult(actor == owner ? Okr.Core.Access.OkrRelation.Owner : Okr.Core.Access.OkrRelation.None);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(actor == owner);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    [Fact]
    public async Task With_logging_registered_events_are_logged_and_a_failing_subscriber_is_logged_as_an_error()
    {
        var logs = new CapturingLoggerFactory();
        var hostSaw = new List<Exception>();
        using var provider = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(logs)
            .AddOkr(okr => okr.AddEventSubscriber(new Failing()).OnSubscriberFailure((_, ex) => hostSaw.Add(ex)))
            .BuildServiceProvider();
        var service = provider.GetRequiredService<OkrService>();
        var tenant = new TenantId(Guid.NewGuid());
        var period = await service.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));

        var created = await service.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Logged", OwnerRef.Person("ann"), service.Clock));
        Assert.Equal(created, await provider.GetRequiredService<IOkrStore>().GetObjectiveAsync(tenant, created.Id));
        Assert.Empty(logs.Entries);   // nothing runs on the write

        await provider.GetRequiredService<OkrEventDispatcher>().DispatchOnceAsync();
        var delivered = Assert.Single(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Debug);
        Assert.Equal("Okr.Core.Events", delivered.Category);
        Assert.StartsWith($"Event period.created #1 (", delivered.Message, StringComparison.Ordinal);
        Assert.EndsWith($") delivered in tenant {tenant}", delivered.Message, StringComparison.Ordinal);
        var error = Assert.Single(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Equal($"An event subscriber failed on period.created #1 in tenant {tenant}; the tenant's events are retried from it", error.Message);
        Assert.Equal("handler bug", error.Exception!.Message);
        Assert.Equal("handler bug", Assert.Single(hostSaw).Message);
    }

    [Fact]
    public async Task The_hosted_dispatcher_delivers_events_outside_the_writes()
    {
        var seen = new Signalling();
        using var provider = new ServiceCollection()
            .AddOkr(okr => okr.AddEventSubscriber(seen).AddEventDispatcher(new OkrEventDispatcherOptions { PollInterval = Duration.FromMilliseconds(10) }))
            .BuildServiceProvider();
        var hosted = Assert.Single(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>());
        await hosted.StartAsync(CancellationToken.None);
        try
        {
            var service = provider.GetRequiredService<OkrService>();
            var tenant = new TenantId(Guid.NewGuid());
            await service.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
            var delivered = await seen.First.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal((tenant, OkrEventTypes.PeriodCreated, 1L), (delivered.Tenant, delivered.Type, delivered.Sequence));
        }
        finally
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void A_store_without_an_outbox_is_named_when_events_are_asked_for()
    {
        using var provider = new ServiceCollection()
            .AddOkr(okr => okr.UseStore(_ => new NoOutboxStore()).AddEventSubscriber<CountingSubscriber>())
            .BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<OkrEventDispatcher>());
        Assert.Contains("NoOutboxStore", error.Message, StringComparison.Ordinal);
        Assert.Contains("IOkrEventOutbox", error.Message, StringComparison.Ordinal);
    }

    private sealed class Signalling : IOkrEventSubscriber
    {
        public TaskCompletionSource<OkrEvent> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            First.TrySetResult(okrEvent);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A store of someone else's making that has no outbox (it only has to exist here).</summary>
    private sealed class NoOutboxStore : IOkrStore
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

        public ValueTask ImportAsync(TenantId tenant, Okr.Core.Serialization.OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) => _inner.ImportAsync(tenant, document, progress, cancellationToken);

        public ValueTask<Okr.Core.Serialization.OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default) => _inner.ExportAsync(tenant, period, cancellationToken);
    }

    private sealed class Failing : IOkrEventSubscriber
    {
        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken) => throw new InvalidOperationException("handler bug");
    }

    private sealed class CapturingLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public List<(string Category, Microsoft.Extensions.Logging.LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerFactory owner, string category) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Entries)
                {
                    owner.Entries.Add((category, logLevel, formatter(state, exception), exception));
                }
            }
        }
    }
}
