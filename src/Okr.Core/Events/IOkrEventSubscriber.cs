namespace Okr.Core.Events;

/// <summary>
/// Receives events from the outbox, through <see cref="OkrEventDispatcher"/>, outside any caller's request. Delivery is
/// at least once: a handler may see an event again (with the same <see cref="OkrEvent.Id"/>) after a failure or a
/// crash, so make it idempotent. A handler that throws makes the dispatcher retry the tenant's events from that event
/// on, with backoff; other tenants' events go on.
/// </summary>
public interface IOkrEventSubscriber
{
    /// <summary>Handles one event.</summary>
    /// <param name="okrEvent">The event.</param>
    /// <param name="cancellationToken">The dispatcher's token (stopping).</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken);
}
