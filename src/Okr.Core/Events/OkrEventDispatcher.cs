using NodaTime;

namespace Okr.Core.Events;

/// <summary>
/// Delivers the outbox's events to subscribers, outside any caller's request: at least once, in sequence order per
/// tenant, one dispatcher per tenant stream at a time (leases), retrying failures with exponential backoff without
/// holding up other tenants. The dependency-injection package runs it as a hosted service; a host can also call
/// <see cref="DispatchOnceAsync"/> from its own scheduler, or use <see cref="IOkrEventOutbox"/> directly.
/// </summary>
public sealed class OkrEventDispatcher
{
    private readonly IOkrEventOutbox _outbox;
    private readonly IReadOnlyList<IOkrEventSubscriber> _subscribers;
    private readonly IClock _clock;
    private Instant _nextPrune = Instant.MinValue;

    /// <summary>Creates a dispatcher.</summary>
    /// <param name="outbox">The store's outbox (every store of this library is one).</param>
    /// <param name="subscribers">Who receives each event, in this order.</param>
    /// <param name="clock">The clock leases, retries and retention are measured with.</param>
    /// <param name="options">Settings; the defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range, or a subscriber is null.</exception>
    public OkrEventDispatcher(IOkrEventOutbox outbox, IEnumerable<IOkrEventSubscriber> subscribers, IClock clock, OkrEventDispatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(subscribers);
        ArgumentNullException.ThrowIfNull(clock);
        _outbox = outbox;
        _subscribers = [.. subscribers];
        if (_subscribers.Any(s => s is null))
        {
            throw new ArgumentException("A subscriber is null.", nameof(subscribers));
        }

        _clock = clock;
        Options = options ?? new OkrEventDispatcherOptions();
        Options.Validate();
        _instruments = OkrTelemetry.For(Options.MeterFactory);
    }

    /// <summary>The settings.</summary>
    public OkrEventDispatcherOptions Options { get; }

    private readonly OkrInstruments _instruments;

    /// <summary>The exponential backoff after a failure: <c>RetryBase × 2^(attempt − 1)</c>, at most <c>RetryMax</c>.</summary>
    /// <param name="attempt">The failed attempt, from 1.</param>
    /// <returns>How long to wait before the next attempt.</returns>
    public Duration Backoff(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var factor = Math.Pow(2, Math.Min(attempt - 1, 40));
        var ticks = Options.RetryBase.BclCompatibleTicks * factor;
        return ticks >= Options.RetryMax.BclCompatibleTicks ? Options.RetryMax : Duration.FromTicks((long)ticks);
    }

    /// <summary>
    /// Leases the tenant streams that are due (at most <see cref="OkrEventDispatcherOptions.MaxTenants"/>) and delivers
    /// their events, the streams side by side and each stream's events in order, until each is drained, fails or is lost.
    /// </summary>
    /// <param name="cancellationToken">Stops delivery; leases held are released.</param>
    /// <returns>How many events every subscriber handled.</returns>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var leases = await _outbox.LeaseAsync(Options.Owner, _clock.GetCurrentInstant(), Options.LeaseDuration, Options.MaxTenants, Options.Tenants, cancellationToken).ConfigureAwait(false);
        if (leases.Count == 0)
        {
            return 0;
        }

        var delivered = await Task.WhenAll(leases.Select(lease => DeliverAsync(lease, cancellationToken))).ConfigureAwait(false);
        return delivered.Sum();
    }

    /// <summary>Deletes delivered events older than <see cref="OkrEventDispatcherOptions.Retention"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many events were deleted.</returns>
    public async Task<long> PruneAsync(CancellationToken cancellationToken = default) =>
        await _outbox.PruneAsync(_clock.GetCurrentInstant() - Options.Retention, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Dispatches until <paramref name="stoppingToken"/> fires: again at once while there is work, otherwise after
    /// <see cref="OkrEventDispatcherOptions.PollInterval"/>; prunes once per <see cref="OkrEventDispatcherOptions.PruneInterval"/>.
    /// A store failure is reported to <see cref="OkrEventDispatcherOptions.OnDispatcherFailure"/> and retried after the
    /// poll interval.
    /// </summary>
    /// <param name="stoppingToken">Stops the loop.</param>
    /// <returns>A task that completes when stopped.</returns>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = 0;
            try
            {
                delivered = await DispatchOnceAsync(stoppingToken).ConfigureAwait(false);
                if (_clock.GetCurrentInstant() >= _nextPrune)
                {
                    await PruneAsync(stoppingToken).ConfigureAwait(false);
                    _nextPrune = _clock.GetCurrentInstant() + Options.PruneInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Report(() => Options.OnDispatcherFailure?.Invoke(ex));
            }

            if (delivered == 0)
            {
                try
                {
                    await Task.Delay(Options.PollInterval.ToTimeSpan(), stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<int> DeliverAsync(OkrEventLease lease, CancellationToken cancellationToken)
    {
        var delivered = 0;
        var through = lease.DeliveredThrough;
        try
        {
            while (true)
            {
                var page = await _outbox.ReadEventsAsync(lease.Tenant, through, Options.BatchSize, cancellationToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    await _outbox.ReleaseAsync(lease, null, CancellationToken.None).ConfigureAwait(false);
                    return delivered;
                }

                var handled = through;
                foreach (var e in page)
                {
                    try
                    {
                        foreach (var subscriber in _subscribers)
                        {
                            await subscriber.HandleAsync(e, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        _instruments.Failures.Add(1);
                        Report(() => Options.OnSubscriberFailure?.Invoke(e, ex));

                        // What was handled stands; the stream waits for its retry from the failed event on.
                        if (handled > through)
                        {
                            await _outbox.AcknowledgeAsync(lease, handled, _clock.GetCurrentInstant() + Options.LeaseDuration, CancellationToken.None).ConfigureAwait(false);
                        }

                        var retryAt = _clock.GetCurrentInstant() + Backoff(lease.Attempts + 1);
                        await _outbox.ReleaseAsync(lease, new OkrEventFailure(retryAt, $"{ex.GetType().Name} on event {e.Sequence} ({e.Type}): {ex.Message}"), CancellationToken.None).ConfigureAwait(false);
                        return delivered;
                    }

                    handled = e.Sequence;
                    delivered++;
                    _instruments.Delivered.Add(1);
                }

                if (!await _outbox.AcknowledgeAsync(lease, handled, _clock.GetCurrentInstant() + Options.LeaseDuration, CancellationToken.None).ConfigureAwait(false))
                {
                    // The lease expired and another dispatcher has the stream: it goes on from its own cursor.
                    return delivered;
                }

                through = handled;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what the batch in hand delivered is not acknowledged, so it is delivered again (same ids).
            await _outbox.ReleaseAsync(lease, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static void Report(Action report)
    {
        try
        {
            report();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The failure report itself failed; delivery goes on regardless.
        }
    }
}
