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
    private static OkrServiceOptions WithHostServices(IServiceProvider services, OkrServiceOptions options)
    {
        var subscribers = services.GetServices<IOkrEventSubscriber>().ToList();
        var onFailure = options.OnSubscriberFailure;
        if (services.GetService<ILoggerFactory>() is { } loggers)
        {
            var logger = loggers.CreateLogger("Okr.Core");
            subscribers.Insert(0, new OkrEventLogger(logger));
            var hostHandler = onFailure;
            onFailure = (okrEvent, exception) =>
            {
                OkrEventLogger.SubscriberFailed(logger, okrEvent.GetType().Name, okrEvent.Tenant, exception);
                hostHandler?.Invoke(okrEvent, exception);
            };
        }

        return options with
        {
            EventSubscribers = subscribers,
            AccessPolicy = services.GetService<Okr.Core.Access.IOkrAccessPolicy>(),
            OnSubscriberFailure = onFailure,
        };
    }
}
