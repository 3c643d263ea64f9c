using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Okr.Core.Events;

/// <summary>
/// The tracing and metrics names Okr.Core publishes, for hosts that listen with OpenTelemetry or
/// <see cref="ActivityListener"/> / <see cref="MeterListener"/>. docs/observability.md lists every activity, instrument,
/// tag and log event; tags carry ids and counts only, never titles, notes or people.
/// </summary>
public static class OkrTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>: "Okr.Core".</summary>
    public const string Name = "Okr.Core";

    /// <summary>A counter of check-ins appended through <see cref="Service.OkrService"/>.</summary>
    public const string CheckInsRecorded = "okr.check_ins.recorded";

    /// <summary>A histogram of period summary durations (read, roll up, judge health), in seconds.</summary>
    public const string SummaryDuration = "okr.summary.duration";

    /// <summary>A histogram of every facade operation's duration, in seconds, tagged with <see cref="OperationTag"/>.</summary>
    public const string OperationDuration = "okr.operation.duration";

    /// <summary>A counter of events the dispatcher delivered to every subscriber.</summary>
    public const string EventsDelivered = "okr.events.delivered";

    /// <summary>A counter of event handlers that threw.</summary>
    public const string SubscriberFailures = "okr.events.subscriber_failures";

    /// <summary>The tenant's id, on every activity (not on metrics: one series per tenant would be too many).</summary>
    public const string TenantTag = "okr.tenant.id";

    /// <summary>The facade operation (the activity's name, for example <c>okr.objectives.create</c>), on <see cref="OperationDuration"/>.</summary>
    public const string OperationTag = "okr.operation";

    /// <summary>The type of the exception a failed operation ended with, on its activity and its duration.</summary>
    public const string ErrorTypeTag = "error.type";

    internal static readonly ActivitySource Source = new(Name, typeof(OkrTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>The instruments on a meter of our own, for services made without a meter factory.</summary>
    internal static readonly OkrInstruments Default = new(new Meter(Name, typeof(OkrTelemetry).Assembly.GetName().Version?.ToString(3)));

    private static readonly ConditionalWeakTable<IMeterFactory, OkrInstruments> ByFactory = new();

    /// <summary>The instruments on the factory's "Okr.Core" meter (made once per factory), or <see cref="Default"/>.</summary>
    internal static OkrInstruments For(IMeterFactory? factory) =>
        factory is null ? Default : ByFactory.GetValue(factory, static f => new OkrInstruments(f.Create(new MeterOptions(Name) { Version = typeof(OkrTelemetry).Assembly.GetName().Version?.ToString(3) })));

    /// <summary>Starts a facade operation: its activity (when anyone listens) and its clock.</summary>
    internal static OkrOperation Start(OkrInstruments instruments, string name, TenantId tenant)
    {
        var activity = Source.StartActivity(name);
        activity?.SetTag(TenantTag, tenant.ToString());
        return new OkrOperation(instruments, name, activity, Stopwatch.GetTimestamp());
    }
}

/// <summary>The instruments of one meter.</summary>
internal sealed class OkrInstruments(Meter meter)
{
    public Counter<long> CheckIns { get; } = meter.CreateCounter<long>(OkrTelemetry.CheckInsRecorded, "{check_in}", "Check-ins appended through OkrService.");

    public Histogram<double> Summaries { get; } = meter.CreateHistogram<double>(OkrTelemetry.SummaryDuration, "s", "Time to summarise a period: read, roll up, judge health.");

    public Histogram<double> Operations { get; } = meter.CreateHistogram<double>(OkrTelemetry.OperationDuration, "s", "Time of each facade operation, by operation.");

    public Counter<long> Delivered { get; } = meter.CreateCounter<long>(OkrTelemetry.EventsDelivered, "{event}", "Events handled by every subscriber.");

    public Counter<long> Failures { get; } = meter.CreateCounter<long>(OkrTelemetry.SubscriberFailures, "{failure}", "Event subscribers that threw.");
}

/// <summary>
/// One facade operation in flight: ends its activity and records its duration when disposed. A failure is marked by
/// <see cref="Fail"/>, called from an exception filter (it returns false, so the exception is never caught).
/// </summary>
internal sealed class OkrOperation(OkrInstruments instruments, string name, Activity? activity, long started) : IDisposable
{
    private string? _error;

    /// <summary>Marks the operation failed with <paramref name="exception"/>'s type; returns false for use in a <c>when</c> filter.</summary>
    public bool Fail(Exception exception)
    {
        _error = exception.GetType().FullName;
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity?.SetTag(OkrTelemetry.ErrorTypeTag, _error);
        return false;
    }

    public void Dispose()
    {
        activity?.Dispose();
        if (instruments.Operations.Enabled)
        {
            // No tenant here: one series per tenant would be a cardinality a metrics backend pays for.
            var tags = new TagList { { OkrTelemetry.OperationTag, name } };
            if (_error is not null)
            {
                tags.Add(OkrTelemetry.ErrorTypeTag, _error);
            }

            instruments.Operations.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
