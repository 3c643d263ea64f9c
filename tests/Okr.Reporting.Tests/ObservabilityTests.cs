using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Reporting.Tests;

/// <summary>
/// One run of every facade operation (and a report, and the dispatcher) under an <see cref="ActivityListener"/> and a
/// <see cref="MeterListener"/>: the names recorded equal the lists in docs/observability.md.
/// </summary>
public partial class ObservabilityTests
{
    [Fact]
    public async Task Every_operation_emits_what_docs_observability_md_lists_and_nothing_else()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "observability.md"));
        var documented = Section(doc, "### Facade operations", "### Reports").Concat(Section(doc, "### Reports", "### Store calls")).ToHashSet();
        var documentedStore = Section(doc, "### Store calls", "## Tags").ToHashSet();
        var documentedInstruments = Section(doc, "## Metrics", "## Logs").ToHashSet();
        var documentedTags = Section(doc, "## Tags", "## Metrics").ToHashSet();

        var tenant = new TenantId(Guid.NewGuid());
        var activities = new List<Activity>();
        var instruments = new HashSet<string>();
        var metricTags = new HashSet<string>();
        using var tracer = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OkrTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(tracer);
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OkrTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Measured(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (instruments)
            {
                instruments.Add(instrument.Name);
                foreach (var tag in tags)
                {
                    metricTags.Add(tag.Key);
                }
            }
        }

        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Measured(instrument, tags));
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Measured(instrument, tags));
        meters.Start();

        await RunEveryOperationAsync(tenant);

        List<Activity> ours;
        lock (activities)
        {
            ours = [.. activities.Where(a => (string?)a.GetTagItem(OkrTelemetry.TenantTag) == tenant.ToString())];
        }

        var names = ours.Select(a => a.OperationName).ToHashSet();
        Assert.Equal(documented.Order(), names.Where(n => !n.StartsWith("okr.store.", StringComparison.Ordinal)).Order());
        Assert.Subset(documentedStore, names.Where(n => n.StartsWith("okr.store.", StringComparison.Ordinal)).ToHashSet());
        Assert.Contains("okr.store.commit", names);

        // The store table is every member of IOkrStore, named as the decorator names them.
        var members = typeof(IOkrStore).GetMethods().Select(m => "okr.store." + Snake(m.Name[..^"Async".Length])).ToHashSet();
        Assert.Equal(members.Order(), documentedStore.Order());

        // Instruments and tags: what was recorded is what is documented.
        lock (instruments)
        {
            Assert.Equal(documentedInstruments.Order(), instruments.Order());
            Assert.Subset(documentedTags, metricTags);
        }

        Assert.Subset(documentedTags, ours.SelectMany(a => a.TagObjects.Select(t => t.Key)).ToHashSet());
        Assert.All(ours, a => Assert.Equal(tenant.ToString(), a.GetTagItem(OkrTelemetry.TenantTag)));

        // A failed call is marked.
        var failed = Assert.Single(ours, a => a.Status == ActivityStatusCode.Error && a.OperationName == "okr.objectives.get");
        Assert.Equal(typeof(OkrNotFoundException).FullName, failed.GetTagItem(OkrTelemetry.ErrorTypeTag));
    }

    /// <summary>Every facade operation once (and a failing one), a report, and a dispatch with a failing subscriber.</summary>
    private static async Task RunEveryOperationAsync(TenantId tenant)
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var store = new InMemoryOkrStore();
        var okr = new OkrService(store, clock);
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Periods.GetAsync(tenant, quarter.Id);
        await okr.Periods.ActivateAsync(tenant, quarter.Id);
        KeyResult Kr(string title) => new(KeyResultId.New(clock), title, new IncreaseMeasure(0, 100));
        var parent = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Parent", OwnerRef.Team("a"), clock, keyResults: [Kr("A"), Kr("B"), Kr("C")]));
        var child = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Child", OwnerRef.Team("b"), clock, keyResults: [Kr("D"), Kr("E")]));
        var draft = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Dropped", OwnerRef.Team("c"), clock));
        await okr.Objectives.EditAsync(tenant, parent.Id, (o, c) => o.WithTitle("Parent, renamed", c));
        child = await okr.Objectives.AddKeyResultAsync(tenant, child.Id, Kr("F"));
        await okr.Objectives.AlignAsync(tenant, child.Id, new AlignmentLink(parent.Id));
        await okr.Objectives.ActivateAsync(tenant, parent.Id);
        await okr.Objectives.ActivateAsync(tenant, child.Id);
        await okr.Objectives.CancelAsync(tenant, draft.Id);
        await okr.Objectives.GetAsync(tenant, parent.Id);
        await Assert.ThrowsAsync<OkrNotFoundException>(() => okr.Objectives.GetAsync(tenant, ObjectiveId.New(clock)).AsTask());
        await foreach (var _ in okr.Objectives.ListAsync(tenant))
        {
        }

        await okr.Objectives.HistoryAsync(tenant, parent.Id);
        clock.Advance(Duration.FromDays(7));
        var first = await okr.CheckIns.RecordAsync(tenant, parent.KeyResults[0].Id, 20, OwnerRef.Person("p"));
        await okr.CheckIns.CorrectAsync(tenant, first.Id, 25, OwnerRef.Person("p"), "typo");
        await okr.CheckIns.RecordManyAsync(tenant, [.. child.KeyResults.Select(k => CheckIn.Record(CheckInId.New(clock), k.Id, 30, OwnerRef.Person("p"), clock))]);
        await okr.CheckIns.HistoryAsync(tenant, first.KeyResultId);
        await okr.CheckIns.HistoriesAsync(tenant, [first.KeyResultId]);
        await okr.CheckIns.PeriodHistoryAsync(tenant, quarter.Id);
        await okr.CheckIns.DueAsync(tenant, quarter.Id, clock.GetCurrentInstant());
        await okr.CheckIns.CadenceOfAsync(tenant, first.KeyResultId);
        await okr.CheckIns.RecordFromSourceAsync(tenant, new MetricReading(child.KeyResults[1].Id, "crm", "deals", clock.GetCurrentInstant(), 3), OwnerRef.Person("svc"));
        await okr.Progress.SummarizeAsync(tenant, quarter.Id);
        await okr.Progress.GetObjectiveStatusAsync(tenant, parent.Id);
        await PeriodReport.CreateAsync(okr, tenant, quarter.Id);
        await CsvExport.WriteObjectivesAsync(okr, tenant, quarter.Id, TextWriter.Null);
        await CsvExport.WriteKeyResultsAsync(okr, tenant, quarter.Id, TextWriter.Null);
        await CsvExport.WriteCheckInsAsync(okr, tenant, quarter.Id, TextWriter.Null);
        var exported = await okr.Transfer.ExportAsync(tenant, quarter.Id);
        await okr.Transfer.ImportAsync(tenant, exported);
        await okr.Periods.CloseAsync(tenant, quarter.Id);
        await okr.Periods.ReopenAsync(tenant, quarter.Id, "late check-in");
        await okr.Objectives.ReopenAsync(tenant, parent.Id, "a late deal counted");
        await okr.Periods.CloseAsync(tenant, quarter.Id);
        await okr.Periods.ArchiveAsync(tenant, quarter.Id);
        await okr.Periods.HistoryAsync(tenant, quarter.Id);
        await okr.Periods.ListHeldAsync(tenant, quarter.Id);
        await okr.Progress.ParticipationAsync(tenant, quarter.Id, [OwnerRef.Team("a")]);
        var next = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 2));
        await okr.Periods.CarryOverAsync(tenant, quarter.Id, next.Id, [parent.Id]);

        var dispatcher = new OkrEventDispatcher(store, [new Counting(), new Failing()], clock, new OkrEventDispatcherOptions { Tenants = [tenant] });
        await dispatcher.DispatchOnceAsync();
        clock.Advance(Duration.FromDays(1));
        var delivered = new OkrEventDispatcher(store, [new Counting()], clock, new OkrEventDispatcherOptions { Tenants = [tenant] });
        await delivered.DispatchOnceAsync();
    }

    private sealed class Counting : IOkrEventSubscriber
    {
        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class Failing : IOkrEventSubscriber
    {
        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken) => throw new InvalidOperationException("subscriber bug");
    }

    /// <summary>The first column's code spans of the table rows between two headings.</summary>
    private static IEnumerable<string> Section(string doc, string from, string to)
    {
        var start = doc.IndexOf(from, StringComparison.Ordinal);
        var end = doc.IndexOf(to, start + from.Length, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/observability.md has no section '{from}' before '{to}'.");
        return FirstCell().Matches(doc[start..end]).Select(m => m.Groups[1].Value);
    }

    private static string Snake(string name) => UpperCase().Replace(name, m => (m.Index == 0 ? string.Empty : "_") + m.Value.ToLowerInvariant());

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

    [GeneratedRegex(@"^\| `([a-z_.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex FirstCell();

    [GeneratedRegex("[A-Z]")]
    private static partial Regex UpperCase();
}
