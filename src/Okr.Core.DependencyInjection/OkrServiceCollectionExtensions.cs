using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Okr.Core;
using Okr.Core.DependencyInjection;
using Okr.Core.Events;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Okr.Core in a service collection.</summary>
public static class OkrServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OkrService"/> (singleton) with the defaults — the in-memory store, linear
    /// scoring, the system clock, UTC — each added only if nothing is registered yet, then lets
    /// <paramref name="configure"/> change them. Calling it again is harmless: nothing is registered twice, and the
    /// later call's settings apply after the earlier one's. The options (<see cref="IOptions{TOptions}"/> of
    /// <see cref="OkrServiceOptions"/>) are validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the setup, for example <c>okr =&gt; okr.UseSqlite("Data Source=okr.db").UseTimeZone("Europe/Berlin")</c>.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="OkrValidationException">An argument of a builder method is invalid; the message says what to fix.</exception>
    public static IServiceCollection AddOkr(this IServiceCollection services, Action<OkrBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(new OkrBuilder(services.AddOkr()));
        return services;
    }

    /// <summary>
    /// Registers <see cref="OkrService"/> with the defaults; see <see cref="AddOkr(IServiceCollection, Action{OkrBuilder})"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddOkr(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddCore(services);
        return services;
    }

    /// <summary>
    /// <see cref="AddOkr(IServiceCollection, Action{OkrBuilder})"/> with settings bound from a configuration section
    /// (usually <c>configuration.GetSection("Okr")</c>) first, then <paramref name="configure"/>'s on top. The section's
    /// keys are listed in docs/dependency-injection.md; a value that does not parse, or a setting out of range, fails
    /// start-up with its full configuration path. Its <c>Store</c> child holds the store's settings, which
    /// <c>UseSqlite()</c> and <c>UsePostgreSql()</c> read.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section, for example <c>builder.Configuration.GetSection("Okr")</c>.</param>
    /// <param name="configure">Changes the setup after the configuration.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="OkrValidationException">An argument of a builder method is invalid.</exception>
    public static IServiceCollection AddOkr(this IServiceCollection services, IConfiguration configuration, Action<OkrBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddOkr(configuration).AddOkr(configure);
    }

    /// <summary>
    /// <see cref="AddOkr(IServiceCollection, Action{OkrBuilder})"/> with settings bound from a configuration section
    /// (usually <c>configuration.GetSection("Okr")</c>); see <see cref="AddOkr(IServiceCollection, IConfiguration, Action{OkrBuilder})"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddOkr(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(services);
        services.RemoveAllKeyed<IConfiguration>(OkrBuilder.ConfigurationKey);
        services.AddKeyedSingleton(OkrBuilder.ConfigurationKey, configuration);
        services.AddSingleton(new OptionsStep<OkrServiceOptions>((o, problems) => OkrConfigurationBinding.Bind(configuration, o, problems)));
        return services;
    }

    private static void AddCore(IServiceCollection services)
    {
        services.AddOptions<OkrServiceOptions>().ValidateOnStart();
        services.TryAddSingleton<IOptionsFactory<OkrServiceOptions>, StepOptionsFactory<OkrServiceOptions>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OkrServiceOptions>, OkrServiceOptionsValidator>());
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton<IOkrStore, InMemoryOkrStore>();
        services.TryAddSingleton(CreateService);
    }

    /// <summary>
    /// The service over the registered store and clock, with the options and the registered access policy (resolved from
    /// the provider it is made in: the root for a singleton, the scope for a scoped policy).
    /// </summary>
    internal static OkrService CreateService(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<OkrServiceOptions>>().Value;
        return new OkrService(
            services.GetRequiredService<IOkrStore>(),
            services.GetRequiredService<IClock>(),
            options with
            {
                AccessPolicy = services.GetService<Okr.Core.Access.IOkrAccessPolicy>() ?? options.AccessPolicy,
                TenantSettings = services.GetService<IOkrTenantSettingsProvider>() ?? options.TenantSettings,
                MeterFactory = services.GetService<System.Diagnostics.Metrics.IMeterFactory>() ?? options.MeterFactory,
            });
    }

    /// <summary>The dispatcher over the registered store's outbox, subscribers and clock; failures are logged when logging is registered.</summary>
    internal static OkrEventDispatcher CreateDispatcher(IServiceProvider services)
    {
        if (services.GetService<ScopedStore>() is not null)
        {
            return CreateDispatcher(services, new ScopedOutbox(services.GetRequiredService<IServiceScopeFactory>()));
        }

        var store = services.GetRequiredService<IOkrStore>();
        var outbox = store as IOkrEventOutbox
            ?? throw new InvalidOperationException($"The registered store ({store.GetType().Name}) has no event outbox (IOkrEventOutbox), so events cannot be delivered. Every store of this library has one; a custom store must implement it to use AddEventSubscriber or AddEventDispatcher.");
        return CreateDispatcher(services, outbox);
    }

    private static OkrEventDispatcher CreateDispatcher(IServiceProvider services, IOkrEventOutbox outbox)
    {
        var options = services.GetRequiredService<IOptions<OkrEventDispatcherOptions>>().Value;
        options = options with { MeterFactory = services.GetService<System.Diagnostics.Metrics.IMeterFactory>() ?? options.MeterFactory };
        var subscribers = services.GetServices<IOkrEventSubscriber>().ToList();
        if (services.GetService<ILoggerFactory>() is { } loggers)
        {
            var logger = loggers.CreateLogger("Okr.Core.Events");
            subscribers.Insert(0, new OkrEventLogger(logger));
            var (onSubscriber, onDispatcher) = (options.OnSubscriberFailure, options.OnDispatcherFailure);
            options = options with
            {
                OnSubscriberFailure = (e, ex) =>
                {
                    OkrEventLogger.SubscriberFailed(logger, e.Type, e.Sequence, e.Tenant, ex);
                    onSubscriber?.Invoke(e, ex);
                },
                OnDispatcherFailure = ex =>
                {
                    OkrEventLogger.DispatcherFailed(logger, ex);
                    onDispatcher?.Invoke(ex);
                },
            };
        }

        return new OkrEventDispatcher(outbox, subscribers, services.GetRequiredService<IClock>(), options);
    }
}
