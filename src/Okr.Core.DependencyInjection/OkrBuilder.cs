using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using Okr.Core.Access;
using Okr.Core.Events;
using Okr.Core.Health;
using Okr.Core.Rules;
using Okr.Core.Scoring;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.DependencyInjection;

/// <summary>
/// Configures Okr.Core in a service collection; passed to <c>services.AddOkr(okr =&gt; ...)</c>. The builder holds no
/// settings itself: each method registers its change to <see cref="OkrServiceOptions"/> (read through
/// <see cref="IOptions{TOptions}"/>) or its service, in the order called, after the configuration section given to
/// <c>AddOkr</c>. Arguments are checked at once; the options as a whole are validated at start-up
/// (<c>ValidateOnStart</c>), every problem named in one <see cref="OptionsValidationException"/>.
/// </summary>
public sealed class OkrBuilder
{
    /// <summary>
    /// The service key of the configuration section given to <c>AddOkr(configuration)</c>, registered as a keyed
    /// <c>IConfiguration</c>: store packages bind their options from its <c>Store</c> child.
    /// </summary>
    public const string ConfigurationKey = "Okr";

    internal OkrBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for provider packages that add their own registrations.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a change to the service's options, applied in registration order.</summary>
    private OkrBuilder Configure(Func<OkrServiceOptions, OkrServiceOptions> change)
    {
        Services.AddSingleton(new OptionsStep<OkrServiceOptions>((o, _) => change(o)));
        return this;
    }

    /// <summary>Keeps data in memory (the default): nothing survives a restart.</summary>
    /// <returns>This builder.</returns>
    public OkrBuilder UseInMemoryStore() => UseStore(static _ => new InMemoryOkrStore());

    /// <summary>Uses a store built by a factory, replacing any store registered before.</summary>
    /// <param name="factory">Makes the store once, from the service provider.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseStore(Func<IServiceProvider, IOkrStore> factory) => UseStore(factory, ServiceLifetime.Singleton);

    /// <summary>
    /// Uses a store built by a factory with the given lifetime, replacing any store registered before.
    /// <see cref="ServiceLifetime.Scoped"/> makes a store per service scope (per request in ASP.NET Core), for a store over
    /// a scoped service such as the host's <c>DbContext</c>: <see cref="OkrService"/> is then scoped too (resolve it from a
    /// scope, never from the root provider), and the event dispatcher opens a scope for each call it makes to the outbox.
    /// </summary>
    /// <param name="factory">Makes the store, from the root provider (singleton) or from the scope (scoped).</param>
    /// <param name="lifetime">Singleton or scoped.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is transient.</exception>
    public OkrBuilder UseStore(Func<IServiceProvider, IOkrStore> factory, ServiceLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var chosen = SingletonOrScoped(lifetime);
        Services.RemoveAll<IOkrStore>();
        Services.RemoveAll<ScopedStore>();
        Services.Add(new ServiceDescriptor(typeof(IOkrStore), factory, chosen));
        if (chosen == ServiceLifetime.Scoped)
        {
            Services.AddSingleton<ScopedStore>();
        }

        RegisterService();
        return this;
    }

    /// <summary>Registers <see cref="OkrService"/> scoped when its store or its access policy is scoped, as a singleton otherwise.</summary>
    private void RegisterService()
    {
        var scoped = Services.Any(d => (d.ServiceType == typeof(IOkrStore) || d.ServiceType == typeof(IOkrAccessPolicy)) && d.Lifetime == ServiceLifetime.Scoped);
        Services.Replace(new ServiceDescriptor(typeof(OkrService), OkrServiceCollectionExtensions.CreateService, scoped ? ServiceLifetime.Scoped : ServiceLifetime.Singleton));
    }

    /// <summary>Uses a clock other than the system clock (for example NodaTime's FakeClock in tests).</summary>
    /// <param name="clock">The clock.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseClock(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Services.RemoveAll<IClock>();
        Services.AddSingleton(clock);
        return this;
    }

    /// <summary>Sets the organisation's time zone by its IANA (TZDB) id, for example <c>Europe/Berlin</c>.</summary>
    /// <param name="tzdbId">The zone id.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="OkrValidationException">The id is not a known TZDB zone.</exception>
    public OkrBuilder UseTimeZone(string tzdbId)
    {
        var zone = tzdbId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(tzdbId);
        if (zone is null)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.OutOfRange, "TimeZone", $"'{tzdbId}' is not a TZDB time zone id; use one such as \"Europe/Berlin\" or \"America/New_York\".")]);
        }

        return UseTimeZone(zone);
    }

    /// <summary>Sets the organisation's time zone.</summary>
    /// <param name="zone">The zone.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseTimeZone(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Configure(o => o with { TimeZone = zone });
    }

    /// <summary>Sets the scoring policy (linear by default).</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseScoring(IScoringPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Configure(o => o with { Scoring = new OkrScoring(policy, o.Scoring.Rollup, o.Scoring.Source) });
    }

    /// <summary>Sets the roll-up policy and, optionally, where objective progress comes from.</summary>
    /// <param name="policy">The roll-up policy (weighted mean by default).</param>
    /// <param name="source">The source; unchanged when null.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseRollup(IRollupPolicy policy, RollupSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Configure(o => o with { Scoring = new OkrScoring(o.Scoring.Policy, policy, source ?? o.Scoring.Source) });
    }

    /// <summary>Sets the health policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseHealth(IHealthPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Configure(o => o with { Health = policy });
    }

    /// <summary>Changes the rules: add your own, remove or reconfigure the defaults.</summary>
    /// <param name="configure">Gets the current rules, returns the ones to use, e.g. <c>r =&gt; r.With(new MyRule())</c>;
    /// called when the options are made (at start-up), with the rules the configuration and earlier calls set.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder ConfigureRules(Func<OkrRules, OkrRules> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddSingleton(new OptionsStep<OkrServiceOptions>((o, problems) =>
        {
            if (configure(o.Rules) is { } rules)
            {
                return o with { Rules = rules };
            }

            problems.Add("Rules: the ConfigureRules callback returned null; return the rules to use.");
            return o;
        }));
        return this;
    }

    /// <summary>Sets the expectations used when grading at close.</summary>
    /// <param name="options">Committed and aspirational expectations, each 0..1.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="OkrValidationException">An expectation is outside 0..1.</exception>
    public OkrBuilder UseAssessment(AssessmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var violations = new List<OkrViolation>();
        foreach (var (name, value) in new[] { (nameof(AssessmentOptions.CommittedExpectation), options.CommittedExpectation), (nameof(AssessmentOptions.AspirationalExpectation), options.AspirationalExpectation) })
        {
            if (!double.IsFinite(value) || value < 0 || value > 1)
            {
                violations.Add(new OkrViolation(OkrErrorCodes.OutOfRange, name, $"{name} must lie between 0 and 1; it is {value}."));
            }
        }

        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }

        return Configure(o => o with { Assessment = options });
    }

    /// <summary>
    /// Adds a subscriber to the events the dispatcher delivers, and registers the dispatcher
    /// (<see cref="AddEventDispatcher"/>) if it is not yet. The subscriber is the host's own registration of
    /// <typeparamref name="TSubscriber"/> when there is one (so the instance the host configured gets the events), or
    /// one made from the container otherwise. Each subscriber type is added once.
    /// </summary>
    /// <typeparam name="TSubscriber">The subscriber type.</typeparam>
    /// <returns>This builder.</returns>
    public OkrBuilder AddEventSubscriber<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TSubscriber>()
        where TSubscriber : class, IOkrEventSubscriber => AddEventSubscriber<TSubscriber>(ServiceLifetime.Singleton);

    /// <summary>
    /// <see cref="AddEventSubscriber{TSubscriber}()"/> with a lifetime: singleton (as that overload), or scoped, where the
    /// dispatcher takes the subscriber from a service scope opened for each event.
    /// </summary>
    /// <typeparam name="TSubscriber">The subscriber type.</typeparam>
    /// <param name="lifetime">
    /// <see cref="ServiceLifetime.Singleton"/>: one subscriber for the host's lifetime.
    /// <see cref="ServiceLifetime.Scoped"/>: the dispatcher opens a service scope for each event it delivers and takes the
    /// subscriber from it, so the subscriber may depend on scoped services (a <c>DbContext</c>); the scope is disposed
    /// when the event is handled. Transient is not supported.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is transient.</exception>
    public OkrBuilder AddEventSubscriber<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TSubscriber>(ServiceLifetime lifetime)
        where TSubscriber : class, IOkrEventSubscriber
    {
        Services.TryAddEnumerable(SingletonOrScoped(lifetime) == ServiceLifetime.Singleton
            ? ServiceDescriptor.Singleton<IOkrEventSubscriber, TSubscriber>(static sp => ActivatorUtilities.GetServiceOrCreateInstance<TSubscriber>(sp))
            : ServiceDescriptor.Singleton<IOkrEventSubscriber, ScopedEventSubscriber<TSubscriber>>());
        return EnsureDispatcher();
    }

    /// <summary>
    /// Adds a subscriber instance to the events the dispatcher delivers, and registers the dispatcher if it is not yet.
    /// The same instance added again is added once (it gets each event once); distinct instances of one type are each
    /// added.
    /// </summary>
    /// <param name="subscriber">The subscriber.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder AddEventSubscriber(IOkrEventSubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        if (!Services.Any(d => d.ServiceType == typeof(IOkrEventSubscriber) && !d.IsKeyedService && ReferenceEquals(d.ImplementationInstance, subscriber)))
        {
            Services.AddSingleton(subscriber);
        }

        return EnsureDispatcher();
    }

    /// <summary>Called when a subscriber throws (besides the error log); the tenant's events are retried from the failed one.</summary>
    /// <param name="onFailure">The handler.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder OnSubscriberFailure(Action<OkrEvent, Exception> onFailure)
    {
        ArgumentNullException.ThrowIfNull(onFailure);
        Services.AddSingleton(new OptionsStep<OkrEventDispatcherOptions>((o, _) => o with { OnSubscriberFailure = onFailure }));
        return EnsureDispatcher();
    }

    /// <summary>
    /// Registers <see cref="OkrEventDispatcher"/> (over the store's outbox, the registered subscribers and the clock) and
    /// a hosted service that runs it for the host's lifetime. Several application instances may each run one: leases
    /// keep each tenant's events with one dispatcher at a time.
    /// </summary>
    /// <param name="options">The dispatcher's settings; the defaults when null. Failures are logged whatever they say.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder AddEventDispatcher(OkrEventDispatcherOptions? options = null)
    {
        if (options is not null)
        {
            Services.AddSingleton(new OptionsStep<OkrEventDispatcherOptions>((o, _) => options with { OnSubscriberFailure = options.OnSubscriberFailure ?? o.OnSubscriberFailure }));
        }

        return EnsureDispatcher();
    }

    /// <summary>
    /// Sets the check-in cadence key results follow when nothing nearer sets one, and the cadences of owners
    /// (<see cref="OkrServiceOptions.Cadence"/>, <see cref="OkrServiceOptions.OwnerCadences"/>; docs/cadence.md).
    /// </summary>
    /// <param name="cadence">The tenant-wide cadence, or null for none.</param>
    /// <param name="owners">The owners' own cadences, or null for none.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseCheckInCadence(CheckInCadence? cadence, IReadOnlyDictionary<OwnerRef, CheckInCadence>? owners = null) =>
        Configure(o => o with { Cadence = cadence, OwnerCadences = owners });

    /// <summary>
    /// Adds the hosted check-in reminder job: every <see cref="CheckInReminderOptions.PollInterval"/> it looks whether
    /// each tenant's reminder time (<see cref="CheckInReminderOptions.At"/>, in the tenant's own time zone) has come, and
    /// once a day per tenant hands what each active period owes (<see cref="Service.OkrCheckIns.DueAsync"/>) to the
    /// host's reminder. No scheduler is built in; the job only decides whether a tenant's day has come (docs/cadence.md).
    /// </summary>
    /// <typeparam name="TReminder">The host's reminder: its own registration when there is one (register an instance with
    /// <c>services.AddSingleton(reminder)</c> first), or a singleton made from the container.</typeparam>
    /// <param name="options">When the job runs; the defaults when null.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="OkrValidationException">The options are invalid.</exception>
    public OkrBuilder AddCheckInReminders<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TReminder>(CheckInReminderOptions? options = null)
        where TReminder : class, ICheckInReminder
    {
        Services.TryAddSingleton<TReminder>();
        return AddReminders(static sp => sp.GetRequiredService<TReminder>(), options);
    }

    /// <summary>
    /// Registers a system of record and the hosted job that polls every registered source, for each tenant it serves,
    /// every <see cref="IMetricSource.PollInterval"/>, and records its figures for the key results bound to it
    /// (<see cref="MetricBinding"/>) with <see cref="OkrCheckIns.RecordFromSourceAsync"/>. A failing source is logged and
    /// read again within a minute; the others go on (docs/metric-sources.md).
    /// </summary>
    /// <typeparam name="TSource">The source: its own registration when there is one (a singleton), or one made from the container.</typeparam>
    /// <returns>This builder.</returns>
    public OkrBuilder AddMetricSource<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TSource>()
        where TSource : class, IMetricSource
    {
        Services.TryAddSingleton<TSource>();
        Services.AddSingleton<IMetricSource>(static sp => sp.GetRequiredService<TSource>());
        if (!Services.Any(d => d.ServiceType == typeof(MetricSourceJob)))
        {
            Services.AddSingleton<MetricSourceJob>();
            Services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => new OkrMetricSourceService(
                sp.GetRequiredService<IServiceScopeFactory>(),
                sp.GetServices<IMetricSource>(),
                sp.GetRequiredService<IClock>(),
                sp.GetService<Microsoft.Extensions.Logging.ILogger<OkrMetricSourceService>>()));
        }

        return this;
    }

    /// <summary>Marks that the metric source job is registered, so it is registered once.</summary>
    private sealed class MetricSourceJob;

    private OkrBuilder AddReminders(Func<IServiceProvider, ICheckInReminder> reminder, CheckInReminderOptions? options)
    {
        options ??= new CheckInReminderOptions();
        options.Validate();
        Services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => new OkrCheckInReminderService(
            sp.GetRequiredService<IServiceScopeFactory>(),
            reminder(sp),
            sp.GetRequiredService<IClock>(),
            options,
            sp.GetService<Microsoft.Extensions.Logging.ILogger<OkrCheckInReminderService>>()));
        return this;
    }

    private OkrBuilder EnsureDispatcher()
    {
        Services.AddOptions<OkrEventDispatcherOptions>();
        Services.TryAddSingleton<IOptionsFactory<OkrEventDispatcherOptions>, StepOptionsFactory<OkrEventDispatcherOptions>>();
        Services.TryAddSingleton(static sp => OkrServiceCollectionExtensions.CreateDispatcher(sp));
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, OkrEventDispatcherService>());
        return this;
    }

    /// <summary>
    /// Registers the host's access policy, asked for every call made through <see cref="OkrService.As"/>. Without one,
    /// an actor may do anything (and is still recorded in the audit trail).
    /// </summary>
    /// <typeparam name="TPolicy">The policy type: the host's own registration of it when there is one (a singleton), or
    /// one made from the container otherwise.</typeparam>
    /// <returns>This builder.</returns>
    public OkrBuilder UseAccessPolicy<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TPolicy>()
        where TPolicy : class, IOkrAccessPolicy => UseAccessPolicy<TPolicy>(ServiceLifetime.Singleton);

    /// <summary>
    /// <see cref="UseAccessPolicy{TPolicy}()"/> with a lifetime: singleton (as that overload), or scoped, for a policy
    /// that depends on scoped services.
    /// </summary>
    /// <typeparam name="TPolicy">The policy type: the host's own registration of it when there is one, or one made from
    /// the container otherwise.</typeparam>
    /// <param name="lifetime">
    /// <see cref="ServiceLifetime.Singleton"/>: one policy, and <see cref="OkrService"/> a singleton.
    /// <see cref="ServiceLifetime.Scoped"/>: a policy per service scope (per request in ASP.NET Core), so it may depend on
    /// scoped services such as the host's <c>DbContext</c>; <see cref="OkrService"/> is then registered scoped too, and
    /// must be resolved from a scope (a request's services), never from the root provider. Transient is not supported.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is transient.</exception>
    public OkrBuilder UseAccessPolicy<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TPolicy>(ServiceLifetime lifetime)
        where TPolicy : class, IOkrAccessPolicy
    {
        var chosen = SingletonOrScoped(lifetime);
        Services.RemoveAll<IOkrAccessPolicy>();
        Services.Add(new ServiceDescriptor(typeof(IOkrAccessPolicy), static sp => ActivatorUtilities.GetServiceOrCreateInstance<TPolicy>(sp), chosen));
        RegisterService();
        return this;
    }

    /// <summary>Registers an access policy instance; see <see cref="UseAccessPolicy{TPolicy}()"/>.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseAccessPolicy(IOkrAccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Services.RemoveAll<IOkrAccessPolicy>();
        Services.AddSingleton(policy);
        RegisterService();
        return this;
    }

    /// <summary>
    /// Registers the host's source of each tenant's own settings (time zone, rules, scoring, health, assessment), over
    /// the process-wide ones: <see cref="OkrServiceOptions.TenantSettings"/>. The host's own registration of
    /// <typeparamref name="TProvider"/> when there is one (a singleton), or one made from the container otherwise.
    /// </summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <returns>This builder.</returns>
    public OkrBuilder UseTenantSettings<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider>()
        where TProvider : class, IOkrTenantSettingsProvider
    {
        Services.RemoveAll<IOkrTenantSettingsProvider>();
        Services.AddSingleton<IOkrTenantSettingsProvider>(static sp => ActivatorUtilities.GetServiceOrCreateInstance<TProvider>(sp));
        return this;
    }

    /// <summary>Registers a provider instance of each tenant's settings; see <see cref="UseTenantSettings{TProvider}()"/>.</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseTenantSettings(IOkrTenantSettingsProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        Services.RemoveAll<IOkrTenantSettingsProvider>();
        Services.AddSingleton(provider);
        return this;
    }

    /// <summary>
    /// Migrates the store's schema when the host starts, before any hosted service starts (so before the event
    /// dispatcher and before the first request), for stores that can (<see cref="IOkrStoreMigration"/>: both SQL stores);
    /// a no-op for others. Pair it with <c>AutoMigrate = false</c> in the store's options when requests run under a
    /// role without DDL rights and start-up runs under one with them, or keep automatic migration and simply move the
    /// work off the first request. A failed migration fails the host's start.
    /// </summary>
    /// <returns>This builder.</returns>
    public OkrBuilder MigrateOnStartup()
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, OkrMigrationService>());
        return this;
    }

    /// <summary>Whether a child objective's period must lie inside its parent's (true by default).</summary>
    /// <param name="required">The setting.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder RequireChildPeriodInsideParent(bool required) => Configure(o => o with { RequireChildPeriodInsideParent = required });

    private static ServiceLifetime SingletonOrScoped(ServiceLifetime lifetime) =>
        lifetime is ServiceLifetime.Singleton or ServiceLifetime.Scoped
            ? lifetime
            : throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "Use Singleton or Scoped: a transient policy or subscriber would be made again for every call and never disposed.");
}

/// <summary>Delivers each event to a scoped subscriber taken from a service scope opened for that event.</summary>
internal sealed class ScopedEventSubscriber<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TSubscriber>(IServiceScopeFactory scopes) : IOkrEventSubscriber
    where TSubscriber : class, IOkrEventSubscriber
{
    public async ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await ActivatorUtilities.GetServiceOrCreateInstance<TSubscriber>(scope.ServiceProvider).HandleAsync(okrEvent, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Registered when the store is scoped: the dispatcher then reaches the outbox through a scope per call.</summary>
internal sealed class ScopedStore;

/// <summary>The outbox of a scoped store, for the dispatcher (a singleton): each call in a service scope of its own.</summary>
internal sealed class ScopedOutbox(IServiceScopeFactory scopes) : Okr.Core.Events.IOkrEventOutbox
{
    public ValueTask<IReadOnlyList<Okr.Core.Events.OkrEventLease>> LeaseAsync(string owner, NodaTime.Instant now, NodaTime.Duration duration, int maxTenants, IReadOnlyCollection<Okr.Core.TenantId>? tenants = null, CancellationToken cancellationToken = default) =>
        InScopeAsync(o => o.LeaseAsync(owner, now, duration, maxTenants, tenants, cancellationToken));

    public ValueTask<IReadOnlyList<Okr.Core.Events.OkrEvent>> ReadEventsAsync(Okr.Core.TenantId tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        InScopeAsync(o => o.ReadEventsAsync(tenant, afterSequence, limit, cancellationToken));

    public ValueTask<bool> AcknowledgeAsync(Okr.Core.Events.OkrEventLease lease, long throughSequence, NodaTime.Instant leaseUntil, CancellationToken cancellationToken = default) =>
        InScopeAsync(o => o.AcknowledgeAsync(lease, throughSequence, leaseUntil, cancellationToken));

    public ValueTask<bool> ReleaseAsync(Okr.Core.Events.OkrEventLease lease, Okr.Core.Events.OkrEventFailure? failure, CancellationToken cancellationToken = default) =>
        InScopeAsync(o => o.ReleaseAsync(lease, failure, cancellationToken));

    public ValueTask<long> PruneAsync(NodaTime.Instant occurredBefore, CancellationToken cancellationToken = default) =>
        InScopeAsync(o => o.PruneAsync(occurredBefore, cancellationToken));

    public ValueTask<Okr.Core.Events.OkrEventStreamState?> GetStreamStateAsync(Okr.Core.TenantId tenant, CancellationToken cancellationToken = default) =>
        InScopeAsync(o => o.GetStreamStateAsync(tenant, cancellationToken));

    private async ValueTask<T> InScopeAsync<T>(Func<Okr.Core.Events.IOkrEventOutbox, ValueTask<T>> call)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var store = scope.ServiceProvider.GetRequiredService<IOkrStore>();
            var outbox = store as Okr.Core.Events.IOkrEventOutbox
                ?? throw new InvalidOperationException($"The registered store ({store.GetType().Name}) has no event outbox (IOkrEventOutbox), so events cannot be delivered.");
            return await call(outbox).ConfigureAwait(false);
        }
    }
}
