using System.Diagnostics;
using System.Diagnostics.Metrics;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Events;
using Okr.Core.Health;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

public class EventAndTelemetryTests
{
    private readonly FakeClock _clock = TestData.Clock();
    private readonly InMemoryOkrStore _store = new();
    private readonly TenantId _tenant = new(Guid.NewGuid());

    /// <summary>Records each event with what the store held when it arrived.</summary>
    private sealed class Recorder(IOkrStore store) : IOkrEventSubscriber
    {
        public List<(OkrEvent Event, bool Committed)> Seen { get; } = [];

        public async ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            var committed = okrEvent switch
            {
                ObjectiveCreated e => await store.GetObjectiveAsync(e.Tenant, e.Objective.Id, cancellationToken) == e.Objective,
                ObjectiveActivated e => (await store.GetObjectiveAsync(e.Tenant, e.Objective.Id, cancellationToken))!.State == ObjectiveState.Active,
                ObjectiveClosed e => (await store.GetObjectiveAsync(e.Tenant, e.Objective.Id, cancellationToken))!.State == ObjectiveState.Closed,
                CheckInRecorded e => await store.GetCheckInAsync(e.Tenant, e.CheckIn.Id, cancellationToken) == e.CheckIn,
                PeriodClosed e => (await store.GetPeriodAsync(e.Tenant, e.Period.Id, cancellationToken))!.State == PeriodState.Closed,
                HealthChanged e => (await store.GetValuesAsOfAsync(e.Tenant, [e.KeyResult.Id], e.At, null, cancellationToken)).ContainsKey(e.KeyResult.Id),
                _ => false,
            };
            Seen.Add((okrEvent, committed));
        }
    }

    private sealed class Thrower : IOkrEventSubscriber
    {
        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken) => throw new InvalidOperationException("subscriber bug");
    }

    private async Task<(OkrService Okr, OkrPeriod Quarter, Objective Objective)> Setup(params IOkrEventSubscriber[] subscribers) => await Setup(null, subscribers);

    private async Task<(OkrService Okr, OkrPeriod Quarter, Objective Objective)> Setup(Action<OkrEvent, Exception>? onFailure, params IOkrEventSubscriber[] subscribers)
    {
        var okr = new OkrService(_store, _clock, new OkrServiceOptions { EventSubscribers = subscribers, OnSubscriberFailure = onFailure });
        var q = await okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1));
        q = await okr.Periods.ActivateAsync(_tenant, q.Id);
        var o = await okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "Grow", TestData.Alice, _clock, keyResults: TestData.Krs(3)));
        return (okr, q, o);
    }

    [Fact]
    public async Task Events_arrive_after_their_write_committed_in_order()
    {
        var recorder = new Recorder(_store);
        var (okr, q, o) = await Setup(recorder);
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice);
        await okr.Periods.CloseAsync(_tenant, q.Id);

        Assert.Equal(
            [typeof(ObjectiveCreated), typeof(ObjectiveActivated), typeof(CheckInRecorded), typeof(HealthChanged), typeof(ObjectiveClosed), typeof(PeriodClosed)],
            recorder.Seen.Select(s => s.Event.GetType()));
        Assert.All(recorder.Seen, s => Assert.True(s.Committed, $"{s.Event.GetType().Name} arrived before its write committed"));
        Assert.All(recorder.Seen, s => Assert.Equal(_tenant, s.Event.Tenant));
        Assert.Equal(0.5 / 3, Assert.IsType<PeriodClosed>(recorder.Seen[^1].Event).Assessment.Score!.Value, 12);
    }

    [Fact]
    public async Task Health_changes_are_published_when_a_check_in_moves_a_key_result_across_a_band()
    {
        var recorder = new Recorder(_store);
        var (okr, _, o) = await Setup(recorder);
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        var kr = o.KeyResults[0];   // increase from 100 to 200
        _clock.Advance(Duration.FromDays(45));   // half the quarter gone: about 0.5 expected

        // Never checked in for 45 days: stale.
        foreach (var (target, value) in new[] { (kr, 150m), (kr, 152m), (kr, 105m), (o.KeyResults[1], 150m) })
        {
            _clock.Advance(Duration.FromMinutes(1));
            await okr.CheckIns.RecordAsync(_tenant, target.Id, value, TestData.Alice);   // stale -> on track, nothing, -> off track, stale -> on track
        }

        var changes = recorder.Seen.Select(s => s.Event).OfType<HealthChanged>().ToList();
        Assert.Equal(
            [(kr.Id, HealthStatus.Stale, HealthStatus.OnTrack), (kr.Id, HealthStatus.OnTrack, HealthStatus.OffTrack), (o.KeyResults[1].Id, HealthStatus.Stale, HealthStatus.OnTrack)],
            changes.Select(c => (c.KeyResult.Id, c.Previous.Status, c.Current.Status)));
        Assert.All(changes, c => Assert.Equal(o.Id, c.Objective.Id));
        Assert.All(recorder.Seen, s => Assert.True(s.Committed));
        Assert.Equal(0.05, changes[1].Current.Progress!.Value, 9);
    }

    [Fact]
    public async Task Health_changes_are_published_only_for_the_key_results_checked_in()
    {
        var recorder = new Recorder(_store);
        var (okr, _, o) = await Setup(recorder);
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        _clock.Advance(Duration.FromDays(45));
        await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice);   // stale -> on track

        // Forty days later the first key result has slipped (stale, behind pace), but only the second is checked in:
        // the first one's change waits for the check-in that shows it.
        _clock.Advance(Duration.FromDays(40));
        recorder.Seen.Clear();
        await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[1].Id, 195, TestData.Alice);

        var change = Assert.Single(recorder.Seen.Select(s => s.Event).OfType<HealthChanged>());
        Assert.Equal((o.KeyResults[1].Id, HealthStatus.Stale, HealthStatus.OnTrack), (change.KeyResult.Id, change.Previous.Status, change.Current.Status));
        var first = await okr.Progress.GetObjectiveStatusAsync(_tenant, o.Id);
        Assert.NotEqual(HealthStatus.OnTrack, first.KeyResults[0].Health.Status);
    }

    [Fact]
    public async Task A_failed_write_publishes_nothing()
    {
        var recorder = new Recorder(_store);
        var (okr, _, o) = await Setup(recorder);
        recorder.Seen.Clear();
        await Assert.ThrowsAsync<OkrValidationException>(() => okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice).AsTask());   // still a draft
        var twoKrs = await okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), o.PeriodId, "Too small", TestData.Alice, _clock, keyResults: TestData.Krs(2)));
        recorder.Seen.Clear();
        await Assert.ThrowsAsync<OkrValidationException>(() => okr.Objectives.ActivateAsync(_tenant, twoKrs.Id).AsTask());
        Assert.Empty(recorder.Seen);
    }

    [Fact]
    public async Task A_throwing_subscriber_loses_nothing_and_the_others_still_run()
    {
        var recorder = new Recorder(_store);
        var failures = new List<(OkrEvent, Exception)>();
        var (okr, _, o) = await Setup((e, ex) => failures.Add((e, ex)), new Thrower(), recorder);
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        var checkIn = await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice);

        Assert.Equal(checkIn, await _store.GetCheckInAsync(_tenant, checkIn.Id));
        Assert.Equal(4, failures.Count);   // created, activated, check-in, health changed
        Assert.All(failures, f => Assert.Equal("subscriber bug", f.Item2.Message));
        Assert.Equal(4, recorder.Seen.Count);
    }

    [Fact]
    public async Task A_failure_report_that_throws_is_contained_too()
    {
        var (okr, _, o) = await Setup((_, _) => throw new InvalidOperationException("logger down"), new Thrower());
        var active = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        Assert.Equal(ObjectiveState.Active, active.State);
    }

    [Fact]
    public async Task Check_ins_and_roll_up_durations_are_measured_and_operations_traced()
    {
        var measurements = new List<(string Name, double Value)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OkrTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) => { lock (measurements) { measurements.Add((instrument.Name, value)); } });
        meters.SetMeasurementEventCallback<double>((instrument, value, _, _) => { lock (measurements) { measurements.Add((instrument.Name, value)); } });
        meters.Start();

        var activities = new List<Activity>();
        using var tracer = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OkrTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(tracer);

        var (okr, q, o) = await Setup();
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        await okr.CheckIns.RecordManyAsync(_tenant, [.. o.KeyResults.Select(k => CheckIn.Record(CheckInId.New(_clock), k.Id, 150, TestData.Alice, _clock))]);
        await okr.Progress.SummarizeAsync(_tenant, q.Id);

        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Name == OkrTelemetry.CheckInsRecorded && m.Value == 3);
            Assert.Contains(measurements, m => m.Name == OkrTelemetry.RollupDuration && m.Value >= 0);
        }

        lock (activities)
        {
            Assert.Contains(activities, a => a.OperationName == "okr.check_ins.record" && (int)a.GetTagItem("okr.check_ins.count")! == 3 && (string)a.GetTagItem("okr.tenant")! == _tenant.ToString());
            Assert.Contains(activities, a => a.OperationName == "okr.period.summarize");
        }
    }
}
