using Microsoft.Extensions.Logging;
using Okr.Core.Events;

namespace Okr.Core.DependencyInjection;

/// <summary>Logs every delivered event (debug level), and subscriber and dispatcher failures (error level).</summary>
internal sealed partial class OkrEventLogger(ILogger logger) : IOkrEventSubscriber
{
    public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
    {
        Delivered(logger, okrEvent.Type, okrEvent.Sequence, okrEvent.Id, okrEvent.Tenant);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Event {EventType} #{Sequence} ({EventId}) delivered in tenant {Tenant}")]
    private static partial void Delivered(ILogger logger, string eventType, long sequence, Guid eventId, TenantId tenant);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "An event subscriber failed on {EventType} #{Sequence} in tenant {Tenant}; the tenant's events are retried from it")]
    public static partial void SubscriberFailed(ILogger logger, string eventType, long sequence, TenantId tenant, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "The event dispatcher failed; it tries again after its poll interval")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception);
}
