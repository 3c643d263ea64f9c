using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
/// Configures Okr.Core in a service collection; returned by <c>services.AddOkr(...)</c>. Every method
/// checks its arguments at once, so a mistake fails at start-up with a message that says what to fix.
/// Calling <c>AddOkr</c> again configures the same builder.
/// </summary>
public sealed class OkrBuilder
{
    internal OkrBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for provider packages that add their own registrations.</summary>
    public IServiceCollection Services { get; }

    internal OkrServiceOptions Options { get; private set; } = new();

    /// <summary>Keeps data in memory (the default): nothing survives a restart.</summary>
    /// <returns>This builder.</returns>
    public OkrBuilder UseInMemoryStore() => UseStore(static _ => new InMemoryOkrStore());

    /// <summary>Uses a store built by a factory, replacing any store registered before.</summary>
    /// <param name="factory">Makes the store once, from the service provider.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseStore(Func<IServiceProvider, IOkrStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IOkrStore>();
        Services.AddSingleton(factory);
        return this;
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
        Options = Options with { TimeZone = zone };
        return this;
    }

    /// <summary>Sets the scoring policy (linear by default).</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseScoring(IScoringPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Options = Options with { Scoring = new OkrScoring(policy, Options.Scoring.Rollup, Options.Scoring.Source) };
        return this;
    }

    /// <summary>Sets the roll-up policy and, optionally, where objective progress comes from.</summary>
    /// <param name="policy">The roll-up policy (weighted mean by default).</param>
    /// <param name="source">The source; unchanged when null.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseRollup(IRollupPolicy policy, RollupSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Options = Options with { Scoring = new OkrScoring(Options.Scoring.Scoring, policy, source ?? Options.Scoring.Source) };
        return this;
    }

    /// <summary>Sets the health policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder UseHealth(IHealthPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Options = Options with { Health = policy };
        return this;
    }

    /// <summary>Changes the rules: add your own, remove or reconfigure the defaults.</summary>
    /// <param name="configure">Gets the current rules, returns the ones to use, e.g. <c>r =&gt; r.With(new MyRule())</c>.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder ConfigureRules(Func<OkrRules, OkrRules> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Options = Options with { Rules = configure(Options.Rules) ?? throw new ArgumentException("The rules configuration returned null.", nameof(configure)) };
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

        Options = Options with { Assessment = options };
        return this;
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
        where TSubscriber : class, IOkrEventSubscriber
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IOkrEventSubscriber, TSubscriber>(static sp => ActivatorUtilities.GetServiceOrCreateInstance<TSubscriber>(sp)));
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
        DispatcherOptions = DispatcherOptions with { OnSubscriberFailure = onFailure };
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
            DispatcherOptions = options with { OnSubscriberFailure = options.OnSubscriberFailure ?? DispatcherOptions.OnSubscriberFailure };
        }

        return EnsureDispatcher();
    }

    internal OkrEventDispatcherOptions DispatcherOptions { get; private set; } = new();

    private OkrBuilder EnsureDispatcher()
    {
        Services.TryAddSingleton(static sp => OkrServiceCollectionExtensions.CreateDispatcher(sp));
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, OkrEventDispatcherService>());
        return this;
    }

    /// <summary>
    /// Registers the host's access policy (singleton), asked for every call made through <see cref="OkrService.As"/>.
    /// Without one, an actor may do anything (and is still recorded in the audit trail).
    /// </summary>
    /// <typeparam name="TPolicy">The policy type: the host's own registration of it when there is one (a singleton), or
    /// one made from the container otherwise.</typeparam>
    /// <returns>This builder.</returns>
    public OkrBuilder UseAccessPolicy<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TPolicy>()
        where TPolicy : class, IOkrAccessPolicy
    {
        Services.RemoveAll<IOkrAccessPolicy>();
        Services.AddSingleton<IOkrAccessPolicy>(static sp => ActivatorUtilities.GetServiceOrCreateInstance<TPolicy>(sp));
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
        return this;
    }

    /// <summary>Whether a child objective's period must lie inside its parent's (true by default).</summary>
    /// <param name="required">The setting.</param>
    /// <returns>This builder.</returns>
    public OkrBuilder RequireChildPeriodInsideParent(bool required)
    {
        Options = Options with { RequireChildPeriodInsideParent = required };
        return this;
    }
}
