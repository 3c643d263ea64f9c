using Microsoft.Extensions.Logging;
using Okr.Core.Events;

namespace Okr.Core.DependencyInjection;

/// <summary>Logs every domain event at Debug, through the host's logging, under the category <c>Okr.Core</c>.</summary>
internal sealed partial class OkrEventLogger(ILogger logger) : IOkrEventSubscriber
{
    public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
    {
        switch (okrEvent)
        {
            case ObjectiveCreated e:
                ObjectiveChanged(logger, "created", e.Objective.Id, e.Tenant);
                break;
            case ObjectiveActivated e:
                ObjectiveChanged(logger, "activated", e.Objective.Id, e.Tenant);
                break;
            case ObjectiveClosed e:
                ObjectiveChanged(logger, "closed", e.Objective.Id, e.Tenant);
                break;
            case CheckInRecorded e:
                CheckInRecorded(logger, e.CheckIn.Id, e.CheckIn.KeyResultId, e.Tenant);
                break;
            case HealthChanged e:
                HealthChanged(logger, e.KeyResult.Id, e.Previous.Status, e.Current.Status, e.Tenant);
                break;
            case PeriodClosed e:
                PeriodClosed(logger, e.Period.Id, e.Assessment.Score, e.Tenant);
                break;
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Objective {ObjectiveId} {Change} in tenant {Tenant}")]
    private static partial void ObjectiveChanged(ILogger logger, string change, ObjectiveId objectiveId, TenantId tenant);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Check-in {CheckInId} recorded on key result {KeyResultId} in tenant {Tenant}")]
    private static partial void CheckInRecorded(ILogger logger, CheckInId checkInId, KeyResultId keyResultId, TenantId tenant);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Key result {KeyResultId} went from {Previous} to {Current} in tenant {Tenant}")]
    private static partial void HealthChanged(ILogger logger, KeyResultId keyResultId, Health.HealthStatus previous, Health.HealthStatus current, TenantId tenant);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Period {PeriodId} closed with score {Score} in tenant {Tenant}")]
    private static partial void PeriodClosed(ILogger logger, PeriodId periodId, double? score, TenantId tenant);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "An event subscriber failed on {EventType} in tenant {Tenant}; the write stands")]
    public static partial void SubscriberFailed(ILogger logger, string eventType, TenantId tenant, Exception exception);
}
