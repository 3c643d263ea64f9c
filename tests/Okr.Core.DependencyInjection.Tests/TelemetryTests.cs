using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Events;
using Okr.Core.Service;

namespace Okr.Core.DependencyInjection.Tests;

/// <summary>The meter comes from the host's <see cref="IMeterFactory"/>; the log events are the ones docs/observability.md lists.</summary>
public partial class TelemetryTests
{
    [Fact]
    public async Task Under_AddOkr_the_service_and_the_dispatcher_record_on_the_hosts_meter_factory()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        await using var provider = new ServiceCollection()
            .AddMetrics()
            .AddOkr(okr => okr.UseClock(clock).AddEventSubscriber(new Nothing()))
            .BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var scopes = new List<(string Instrument, object? Scope)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OkrTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => { lock (scopes) { scopes.Add((instrument.Name, instrument.Meter.Scope)); } });
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => { lock (scopes) { scopes.Add((instrument.Name, instrument.Meter.Scope)); } });
        listener.Start();

        var okr = provider.GetRequiredService<OkrService>();
        Assert.Same(factory, okr.Options.MeterFactory);
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Progress.SummarizeAsync(tenant, quarter.Id);
        await provider.GetRequiredService<OkrEventDispatcher>().DispatchOnceAsync();

        lock (scopes)
        {
            // Recorded on the factory's meter (its scope is the factory), not on the library's own.
            Assert.Contains(scopes, s => s.Instrument == OkrTelemetry.OperationDuration && ReferenceEquals(s.Scope, factory));
            Assert.Contains(scopes, s => s.Instrument == OkrTelemetry.SummaryDuration && ReferenceEquals(s.Scope, factory));
            Assert.Contains(scopes, s => s.Instrument == OkrTelemetry.EventsDelivered && ReferenceEquals(s.Scope, factory));
        }
    }

    private sealed class Nothing : IOkrEventSubscriber
    {
        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public void The_log_events_are_the_ones_docs_observability_md_lists()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "observability.md"));
        var logs = doc[doc.IndexOf("## Logs", StringComparison.Ordinal)..];
        var documented = LogRow().Matches(logs).Select(m => (Id: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Level: m.Groups[2].Value, Message: m.Groups[3].Value)).OrderBy(r => r.Id).ToList();
        var emitted = typeof(OkrEventLogger).GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => (Id: a.EventId, Level: a.Level.ToString(), Message: a.Message))
            .OrderBy(r => r.Id)
            .ToList();
        Assert.NotEmpty(emitted);
        Assert.Equal(emitted, documented);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Okr.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Okr.Core.sln not found above the test's folder.");
    }

    [GeneratedRegex(@"^\| (\d+) \| (\w+) \| `(.*)` \|$", RegexOptions.Multiline)]
    private static partial Regex LogRow();
}
