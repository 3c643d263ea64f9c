using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Okr.Core.Events;

/// <summary>
/// The tracing and metrics names Okr.Core publishes, for hosts that listen with OpenTelemetry or
/// <see cref="ActivityListener"/> / <see cref="MeterListener"/>.
/// </summary>
public static class OkrTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>: "Okr.Core".</summary>
    public const string Name = "Okr.Core";

    /// <summary>A counter of check-ins appended through <see cref="Service.OkrService"/>.</summary>
    public const string CheckInsRecorded = "okr.check_ins.recorded";

    /// <summary>A histogram of period summary (roll-up) durations, in milliseconds.</summary>
    public const string RollupDuration = "okr.rollup.duration";

    /// <summary>A counter of events the dispatcher delivered to every subscriber.</summary>
    public const string EventsDelivered = "okr.events.delivered";

    /// <summary>A counter of event handlers that threw.</summary>
    public const string SubscriberFailures = "okr.events.subscriber_failures";

    internal static readonly ActivitySource Source = new(Name);

    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> CheckIns = Meter.CreateCounter<long>(CheckInsRecorded, "{check-in}", "Check-ins appended through OkrService.");

    internal static readonly Histogram<double> Rollups = Meter.CreateHistogram<double>(RollupDuration, "ms", "Time to summarise a period: read, roll up, judge health.");

    internal static readonly Counter<long> Delivered = Meter.CreateCounter<long>(EventsDelivered, "{event}", "Events handled by every subscriber.");

    internal static readonly Counter<long> Failures = Meter.CreateCounter<long>(SubscriberFailures, "{failure}", "Event subscribers that threw.");
}
