using Okr.Core.Service;

namespace Okr.Core.DependencyInjection;

/// <summary>
/// The host's end of check-in reminders (<see cref="OkrBuilder.AddCheckInReminders{TReminder}"/>): which tenants to look
/// at, and what to do with the check-ins owed in one of them (send a mail, post to chat, publish an event).
/// </summary>
public interface ICheckInReminder
{
    /// <summary>The tenants whose owed check-ins are looked at, asked on every poll.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tenants.</returns>
    ValueTask<IReadOnlyCollection<TenantId>> TenantsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reminds of what is owed in one active period of a tenant, at most once a day per tenant, at the configured time of
    /// day in the tenant's zone. Called again the next poll when it throws. Each <see cref="DueCheckIn.Id"/> is the same
    /// on every instance and every day until the check-in is made: keep the ids sent to send each once.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The active period.</param>
    /// <param name="due">What is owed (<see cref="OkrCheckIns.DueAsync"/>), never empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the reminders are handed on.</returns>
    ValueTask RemindAsync(TenantId tenant, OkrPeriod period, IReadOnlyList<DueCheckIn> due, CancellationToken cancellationToken);
}
