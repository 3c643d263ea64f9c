using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Okr.Core.Events;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.DependencyInjection;

/// <summary>
/// Polls each registered <see cref="IMetricSource"/> for each tenant it serves, every <see cref="IMetricSource.PollInterval"/>,
/// and records what it returns for the key results bound to it (<see cref="OkrCheckIns.RecordFromSourceAsync"/>, so a
/// reading is recorded once however often it is read). A source that fails (or one of its readings) is logged, marked
/// on its activity, and read again after at most a minute; the other sources and tenants go on.
/// </summary>
internal sealed partial class OkrMetricSourceService(IServiceScopeFactory scopes, IEnumerable<IMetricSource> sources, IClock clock, ILogger<OkrMetricSourceService>? logger = null) : BackgroundService
{
    /// <summary>How soon a failed source is read again, at most.</summary>
    internal static readonly Duration RetryAfter = Duration.FromMinutes(1);

    private static readonly ActivitySource Telemetry = new(OkrTelemetry.Name);
    private readonly IMetricSource[] _sources = [.. sources];
    private readonly ConcurrentDictionary<(string Source, TenantId Tenant), Instant> _next = new();
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>How often the job looks whether a source is due: a second, or the shortest poll interval when shorter (at least 10 ms).</summary>
    private Duration Tick => Duration.Max(Duration.FromMilliseconds(10), _sources.Select(s => s.PollInterval).Append(Duration.FromSeconds(1)).Min());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Tick.ToTimeSpan(), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>One poll: every source whose time has come for a tenant is read, and its readings recorded.</summary>
    /// <returns>The check-ins recorded in this poll.</returns>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var recorded = 0;
        foreach (var source in _sources)
        {
            IReadOnlyCollection<TenantId> tenants;
            try
            {
                tenants = await source.TenantsAsync(cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A source's failure must not stop the others.
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                SourceFailed(_logger, source.Name, default, ex);
                continue;
            }

            foreach (var tenant in tenants)
            {
                if (_next.TryGetValue((source.Name, tenant), out var next) && now < next)
                {
                    continue;
                }

                using var activity = Telemetry.StartActivity("okr.metric_source.poll");
                activity?.SetTag(OkrTelemetry.TenantTag, tenant.ToString());
                activity?.SetTag("okr.metric_source", source.Name);
                try
                {
                    recorded += await PollAsync(source, tenant, now, activity, cancellationToken).ConfigureAwait(false);
                    _next[(source.Name, tenant)] = now + source.PollInterval;
                }
#pragma warning disable CA1031 // A source's failure must not stop the others.
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                    activity?.SetTag("error.type", ex.GetType().FullName);
                    SourceFailed(_logger, source.Name, tenant, ex);
                    _next[(source.Name, tenant)] = now + Duration.Min(source.PollInterval, RetryAfter);
                }
            }
        }

        return recorded;
    }

    private async Task<int> PollAsync(IMetricSource source, TenantId tenant, Instant now, Activity? activity, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using var disposal = scope.ConfigureAwait(false);
        var okr = scope.ServiceProvider.GetRequiredService<OkrService>();
        var store = scope.ServiceProvider.GetRequiredService<IOkrStore>();

        // The key results of the tenant's active periods bound to this source, by key.
        var bound = new Dictionary<string, List<KeyResultId>>(StringComparer.Ordinal);
        await foreach (var period in store.ListPeriodsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (period.State != PeriodState.Active)
            {
                continue;
            }

            await foreach (var o in store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period.Id, State = ObjectiveState.Active }, cancellationToken).ConfigureAwait(false))
            {
                foreach (var k in o.KeyResults.Where(k => k.Metric?.Source == source.Name && !k.IsCancelled && k.ProgressSource == ProgressSource.Measured))
                {
                    (bound.TryGetValue(k.Metric!.Key, out var list) ? list : bound[k.Metric.Key] = []).Add(k.Id);
                }
            }
        }

        if (bound.Count == 0)
        {
            return 0;
        }

        var values = await source.ReadAsync(tenant, bound.Keys, now, cancellationToken).ConfigureAwait(false);
        var recorded = 0;
        var refused = 0;
        foreach (var (key, value) in values)
        {
            foreach (var kr in bound.GetValueOrDefault(key) ?? [])
            {
                try
                {
                    var result = await okr.CheckIns.RecordFromSourceAsync(tenant, new MetricReading(kr, source.Name, key, value.At, value.Value), source.Owner, cancellationToken).ConfigureAwait(false);
                    recorded += result.Outcome == MetricRecordOutcome.Recorded ? 1 : 0;
                }
                catch (OkrValidationException ex)
                {
                    // A reading a rule refuses (outside the period, not a value of the measure): the others go on.
                    refused++;
                    ReadingRefused(_logger, source.Name, key, tenant, ex);
                }
            }
        }

        activity?.SetTag("okr.check_ins.count", recorded);
        if (refused > 0)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"{refused} reading(s) refused");
        }

        return recorded;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "Metric source {Source} failed in tenant {Tenant}; it is read again at the next poll")]
    private static partial void SourceFailed(ILogger logger, string source, TenantId tenant, Exception exception);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "A reading of metric source {Source} for key {Key} was refused in tenant {Tenant}")]
    private static partial void ReadingRefused(ILogger logger, string source, string key, TenantId tenant, Exception exception);
}
