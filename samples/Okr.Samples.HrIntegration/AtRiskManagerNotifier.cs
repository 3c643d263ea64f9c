using System.Collections.Concurrent;
using Okr.Core.Events;
using Okr.Core.Health;

namespace Okr.Samples.HrIntegration;

/// <summary>A message the HR system would send (by e-mail, chat or its own inbox).</summary>
public sealed record Notification(Employee To, string Text);

/// <summary>
/// Tells a manager when a key result of one of their reports turns at risk or off track. The dispatcher calls it from
/// the outbox, after the check-in committed and outside the request that recorded it; a failure here is retried and
/// never touches the check-in. Delivery is at least once, so it remembers the event ids it has handled.
/// </summary>
public sealed class AtRiskManagerNotifier(OrgChart org) : IOkrEventSubscriber
{
    private readonly ConcurrentDictionary<Guid, bool> _handled = new();

    public ConcurrentQueue<Notification> Sent { get; } = new();

    public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
    {
        if (okrEvent.Type == OkrEventTypes.HealthChanged
            && okrEvent.ReadHealthChange() is { Current: HealthStatus.AtRisk or HealthStatus.OffTrack } change
            && change.Previous is not (HealthStatus.AtRisk or HealthStatus.OffTrack)
            && _handled.TryAdd(okrEvent.Id, true))
        {
            var objective = okrEvent.ReadObjective()!;
            var keyResult = objective.FindKeyResult(change.KeyResult)!;
            var owner = org.ActorFor(objective.Owner);
            if (org.ManagerOf(owner) is { } manager)
            {
                var text = $"{owner.Name}'s key result \"{keyResult.Title}\" is {(change.Current == HealthStatus.OffTrack ? "off track" : "at risk")}: "
                    + $"{change.Progress:P0} against {change.ExpectedProgress:P0} expected.";
                Sent.Enqueue(new Notification(manager, text));
                Console.WriteLine($"  -> to {manager.Name} <{manager.Email}>: {text}");
            }
        }

        return ValueTask.CompletedTask;
    }
}
