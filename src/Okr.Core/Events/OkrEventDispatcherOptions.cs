using NodaTime;

namespace Okr.Core.Events;

/// <summary>Settings of <see cref="OkrEventDispatcher"/>.</summary>
public sealed record OkrEventDispatcherOptions
{
    /// <summary>
    /// Makes the "Okr.Core" meter the dispatcher counts deliveries and failures on (the DI package passes the host's);
    /// null (the default): the library's own meter.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }

    /// <summary>Who leases, as shown in <see cref="OkrEventStreamState.LeasedBy"/>; by default the machine name and process id.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Only these tenants' events (to split tenants between dispatchers); every tenant's when null, the default.</summary>
    public IReadOnlyCollection<TenantId>? Tenants { get; init; }

    /// <summary>The most tenant streams one dispatch leases and delivers side by side; 16 by default.</summary>
    public int MaxTenants { get; init; } = 16;

    /// <summary>Events read (and acknowledged) at a time per stream; 100 by default.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>
    /// How long a lease lasts; renewed after each batch. Longer than the slowest batch's handling, or another dispatcher
    /// may take the stream over while it is still being delivered. One minute by default.
    /// </summary>
    public Duration LeaseDuration { get; init; } = Duration.FromMinutes(1);

    /// <summary>The wait of <see cref="OkrEventDispatcher.RunAsync"/> after a dispatch that found nothing; one second by default.</summary>
    public Duration PollInterval { get; init; } = Duration.FromSeconds(1);

    /// <summary>The wait after a stream's first failure; doubled after each further one. One second by default.</summary>
    public Duration RetryBase { get; init; } = Duration.FromSeconds(1);

    /// <summary>The longest wait between attempts; five minutes by default.</summary>
    public Duration RetryMax { get; init; } = Duration.FromMinutes(5);

    /// <summary>How long delivered events are kept before pruning; seven days by default.</summary>
    public Duration Retention { get; init; } = Duration.FromDays(7);

    /// <summary>How often <see cref="OkrEventDispatcher.RunAsync"/> prunes; hourly by default.</summary>
    public Duration PruneInterval { get; init; } = Duration.FromHours(1);

    /// <summary>Told when a subscriber throws (the stream is retried later). The dependency-injection package logs it.</summary>
    public Action<OkrEvent, Exception>? OnSubscriberFailure { get; init; }

    /// <summary>Told when the dispatch loop itself fails (for example the database is unreachable); it tries again after the poll interval.</summary>
    public Action<Exception>? OnDispatcherFailure { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Owner, nameof(Owner));
        Positive(LeaseDuration, nameof(LeaseDuration));
        Positive(PollInterval, nameof(PollInterval));
        Positive(RetryBase, nameof(RetryBase));
        Positive(RetryMax, nameof(RetryMax));
        Positive(Retention, nameof(Retention));
        Positive(PruneInterval, nameof(PruneInterval));
        if (MaxTenants < 1 || BatchSize < 1)
        {
            throw new ArgumentException($"MaxTenants ({MaxTenants}) and BatchSize ({BatchSize}) must be at least 1.");
        }

        static void Positive(Duration value, string name)
        {
            if (value <= Duration.Zero)
            {
                throw new ArgumentException($"{name} must be positive; it is {value}.", name);
            }
        }
    }
}
