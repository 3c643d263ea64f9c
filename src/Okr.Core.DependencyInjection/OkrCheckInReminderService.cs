using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.DependencyInjection;

/// <summary>
/// Looks, every <see cref="CheckInReminderOptions.PollInterval"/>, whether each tenant's reminder time has come in its
/// own zone; once it has on a day, hands what its active periods owe to the host's <see cref="ICheckInReminder"/>
/// (registered by <see cref="OkrBuilder.AddCheckInReminders{TReminder}"/>). A tenant that fails is logged and tried again
/// at the next poll; the others go on. No scheduler: the job only decides whether a tenant's day has come.
/// </summary>
internal sealed partial class OkrCheckInReminderService(IServiceScopeFactory scopes, ICheckInReminder reminder, IClock clock, CheckInReminderOptions options, ILogger<OkrCheckInReminderService>? logger = null) : BackgroundService
{
    private readonly ConcurrentDictionary<TenantId, LocalDate> _reminded = new();
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        options.Validate();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.PollInterval.ToTimeSpan(), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>One poll: for each tenant whose reminder time has come today (in its zone) and who was not reminded today, the reminders.</summary>
    /// <returns>How many tenants were reminded in this poll.</returns>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        IReadOnlyCollection<TenantId> tenants;
        try
        {
            tenants = await reminder.TenantsAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The host's code may throw anything; the job logs it and polls again.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            TenantsFailed(_logger, ex);
            return 0;
        }

        var reminded = 0;
        foreach (var tenant in tenants)
        {
            try
            {
                var scope = scopes.CreateAsyncScope();
                await using var disposal = scope.ConfigureAwait(false);
                var okr = scope.ServiceProvider.GetRequiredService<OkrService>();
                var local = now.InZone((await okr.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false)).TimeZone).LocalDateTime;
                if (local.TimeOfDay < options.At || (_reminded.TryGetValue(tenant, out var day) && day >= local.Date))
                {
                    continue;
                }

                var store = scope.ServiceProvider.GetRequiredService<IOkrStore>();
                await foreach (var period in store.ListPeriodsAsync(tenant, cancellationToken).ConfigureAwait(false))
                {
                    if (period.State == PeriodState.Active && await okr.CheckIns.DueAsync(tenant, period.Id, now, cancellationToken).ConfigureAwait(false) is { Count: > 0 } due)
                    {
                        await reminder.RemindAsync(tenant, period, due, cancellationToken).ConfigureAwait(false);
                    }
                }

                _reminded[tenant] = local.Date;
                reminded++;
            }
#pragma warning disable CA1031 // One tenant's failure (the host's reminder, its settings) must not stop the others.
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                TenantFailed(_logger, tenant, ex);
            }
        }

        return reminded;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Check-in reminders failed in tenant {Tenant}; they are tried again at the next poll")]
    private static partial void TenantFailed(ILogger logger, TenantId tenant, Exception exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "The host's reminder could not list its tenants; tried again at the next poll")]
    private static partial void TenantsFailed(ILogger logger, Exception exception);
}
