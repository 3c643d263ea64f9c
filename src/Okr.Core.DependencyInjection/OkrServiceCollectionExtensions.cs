using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
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
    /// <paramref name="configure"/> change them. Calling it again is harmless and configures the same setup.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the setup, for example <c>okr =&gt; okr.UseSqlite("Data Source=okr.db").UseTimeZone("Europe/Berlin")</c>.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="OkrValidationException">A setting is invalid; the message says what to fix.</exception>
    public static IServiceCollection AddOkr(this IServiceCollection services, Action<OkrBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.FirstOrDefault(d => d.ServiceType == typeof(OkrBuilder))?.ImplementationInstance as OkrBuilder;
        if (builder is null)
        {
            builder = new OkrBuilder(services);
            services.AddSingleton(builder);
        }

        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton<IOkrStore, InMemoryOkrStore>();
        services.TryAddSingleton(static sp => new OkrService(
            sp.GetRequiredService<IOkrStore>(),
            sp.GetRequiredService<IClock>(),
            WithHostServices(sp, sp.GetRequiredService<OkrBuilder>().Options)));
        configure?.Invoke(builder);
        return services;
    }

    /// <summary>
    /// Adds what the host registered: event subscribers, the access policy and, when logging is set up,
    /// a subscriber that logs every event at Debug and failures of the others at Error.
    /// </summary>
    private static OkrServiceOptions WithHostServices(IServiceProvider services, OkrServiceOptions options) =>
        options with { AccessPolicy = services.GetService<Okr.Core.Access.IOkrAccessPolicy>() };

    /// <summary>The dispatcher over the registered store's outbox, subscribers and clock; failures are logged when logging is registered.</summary>
    internal static OkrEventDispatcher CreateDispatcher(IServiceProvider services)
    {
        var store = services.GetRequiredService<IOkrStore>();
        var outbox = store as IOkrEventOutbox
            ?? throw new InvalidOperationException($"The registered store ({store.GetType().Name}) has no event outbox (IOkrEventOutbox), so events cannot be delivered. Every store of this library has one; a custom store must implement it to use AddEventSubscriber or AddEventDispatcher.");
        var options = services.GetRequiredService<OkrBuilder>().DispatcherOptions;
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
