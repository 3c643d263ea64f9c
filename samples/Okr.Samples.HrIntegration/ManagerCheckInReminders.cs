using System.Collections.Concurrent;
using Okr.Core;
using Okr.Core.DependencyInjection;
using Okr.Core.Service;

namespace Okr.Samples.HrIntegration;

/// <summary>
/// Reminds managers of the check-ins their reports owe. The hosted reminder job calls it once a day per tenant, at the
/// time configured in the tenant's zone; each owed check-in has an id that stays the same until it is made, so a
/// manager hears of each once, however many instances run the job and however many days it stays owed.
/// </summary>
public sealed class ManagerCheckInReminders(OrgChart org) : ICheckInReminder
{
    private readonly ConcurrentDictionary<Guid, bool> _sent = new();

    /// <summary>The tenants to look at (the sample has one, known once its OKRs are imported).</summary>
    public ConcurrentBag<TenantId> Tenants { get; } = [];

    public ConcurrentQueue<Notification> Sent { get; } = new();

    public ValueTask<IReadOnlyCollection<TenantId>> TenantsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyCollection<TenantId>>([.. Tenants]);

    public ValueTask RemindAsync(TenantId tenant, OkrPeriod period, IReadOnlyList<DueCheckIn> due, CancellationToken cancellationToken)
    {
        foreach (var owed in due.Where(d => _sent.TryAdd(d.Id, true)).GroupBy(d => d.Owner))
        {
            var person = org.ActorFor(owed.Key);
            if (org.ManagerOf(person) is not { } manager)
            {
                continue;
            }

            var first = owed.Min(d => d.Since);
            var overdue = owed.Any(d => d.IsOverdue) ? ", overdue" : string.Empty;
            var text = $"{person.Name} owes {owed.Count()} check-in{(owed.Count() == 1 ? string.Empty : "s")} on \"{owed.First().Objective.Title}\" since {first:yyyy-MM-dd}"
                + $" ({owed.Max(d => d.Missed)} missed{overdue}; {owed.First().Cadence.Cadence}).";
            Sent.Enqueue(new Notification(manager, text));
            Console.WriteLine($"  -> to {manager.Name} <{manager.Email}>: {text}");
        }

        return ValueTask.CompletedTask;
    }
}
