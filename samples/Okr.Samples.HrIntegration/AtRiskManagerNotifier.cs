using System.Collections.Concurrent;
using Okr.Core.Events;
using Okr.Core.Health;

namespace Okr.Samples.HrIntegration;

/// <summary>A message the HR system would send (by e-mail, chat or its own inbox).</summary>
public sealed record Notification(Employee To, string Text);

/// <summary>
/// Tells a manager when a key result of one of their reports turns at risk or off track. It runs after the
/// check-in is stored; if it failed, the check-in would still stand.
/// </summary>
public sealed class AtRiskManagerNotifier(OrgChart org) : IOkrEventSubscriber
{
    public ConcurrentQueue<Notification> Sent { get; } = new();

    public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
    {
        if (okrEvent is HealthChanged { Current.Status: HealthStatus.AtRisk or HealthStatus.OffTrack } change
            && change.Previous.Status is not (HealthStatus.AtRisk or HealthStatus.OffTrack))
        {
            var owner = org.ActorFor(change.Objective.Owner);
            if (org.ManagerOf(owner) is { } manager)
            {
                var text = $"{owner.Name}'s key result \"{change.KeyResult.Title}\" is {(change.Current.Status == HealthStatus.OffTrack ? "off track" : "at risk")}: "
                    + $"{change.Current.Progress:P0} against {change.Current.ExpectedProgress:P0} expected.";
                Sent.Enqueue(new Notification(manager, text));
                Console.WriteLine($"  -> to {manager.Name} <{manager.Email}>: {text}");
            }
        }

        return ValueTask.CompletedTask;
    }
}
