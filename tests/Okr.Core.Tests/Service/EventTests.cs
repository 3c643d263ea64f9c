using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Events;
using Okr.Core.Health;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>Every facade change writes its events into the outbox, in the same commit.</summary>
public class EventTests
{
    private readonly FakeClock _clock = TestData.Clock();
    private readonly InMemoryOkrStore _store = new();
    private readonly TenantId _tenant = new(Guid.NewGuid());

    private async Task<IReadOnlyList<OkrEvent>> EventsAsync(long after = 0) => await _store.ReadEventsAsync(_tenant, after, 10_000);

    private async Task<long> LastAsync() => (await _store.GetStreamStateAsync(_tenant))?.LastSequence ?? 0;

    private async Task<(OkrService Okr, OkrPeriod Quarter, Objective Objective)> Setup(OkrService? okr = null)
    {
        okr ??= new OkrService(_store, _clock);
        var q = await okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1));
        q = await okr.Periods.ActivateAsync(_tenant, q.Id);
        var o = await okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "Grow", TestData.Alice, _clock, keyResults: TestData.Krs(3)));
        return (okr, q, o);
    }

    [Fact]
    public async Task Every_change_is_an_event_written_with_it_in_commit_order()
    {
        var okr = new OkrService(_store, _clock).As(TestData.Alice);
        var q = await okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1));
        q = await okr.Periods.ActivateAsync(_tenant, q.Id);
        var parent = await okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "Company", TestData.Alice, _clock, keyResults: TestData.Krs(3)));
        var o = await okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "Team", TestData.Alice, _clock, keyResults: TestData.Krs(4)));
        o = await okr.Objectives.EditAsync(_tenant, o.Id, (x, c) => x.WithTitle("Team, renamed", c));
        o = await okr.Objectives.AddKeyResultAsync(_tenant, o.Id, TestData.Kr("Added"));
        o = await okr.Objectives.EditAsync(_tenant, o.Id, (x, c) => x.ReplaceKeyResult(x.KeyResults[0].WithTitle("Changed"), c));
        o = await okr.Objectives.EditAsync(_tenant, o.Id, (x, c) => x.RemoveKeyResult(x.KeyResults[^1].Id, c));
        o = await okr.Objectives.AlignAsync(_tenant, o.Id, new AlignmentLink(parent.Id));
        o = await okr.Objectives.EditAsync(_tenant, o.Id, (x, c) => x.WithAlignments([], c));
        o = await okr.Objectives.AlignAsync(_tenant, o.Id, new AlignmentLink(parent.Id, weight: 2));   // aligned at close: parents close first
        parent = await okr.Objectives.ActivateAsync(_tenant, parent.Id);
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        var checkIn = await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice);
        await okr.CheckIns.CorrectAsync(_tenant, checkIn.Id, 151, TestData.Alice);
        var dropped = await okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "Dropped", TestData.Alice, _clock, keyResults: TestData.Krs(3)));
        await okr.Objectives.CancelAsync(_tenant, dropped.Id);
        await okr.Periods.CloseAsync(_tenant, q.Id, new Dictionary<ObjectiveId, GradeOverride> { [o.Id] = new(0.7, TestData.Alice, "Held up by a supplier") });
        await okr.Periods.ReopenAsync(_tenant, q.Id, "Late figures");
        await okr.Periods.CloseAsync(_tenant, q.Id);
        await okr.Periods.ArchiveAsync(_tenant, q.Id);
        var next = OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 2);
        await okr.Transfer.ImportAsync(_tenant, new OkrDocument(_tenant, [next], [], []));

        var events = await EventsAsync();
        Assert.Equal(
            [
                OkrEventTypes.PeriodCreated, OkrEventTypes.PeriodActivated,
                OkrEventTypes.ObjectiveCreated, OkrEventTypes.ObjectiveCreated,
                OkrEventTypes.ObjectiveEdited,
                OkrEventTypes.ObjectiveEdited, OkrEventTypes.KeyResultAdded,
                OkrEventTypes.ObjectiveEdited, OkrEventTypes.KeyResultChanged,
                OkrEventTypes.ObjectiveEdited, OkrEventTypes.KeyResultRemoved,
                OkrEventTypes.ObjectiveEdited, OkrEventTypes.ObjectiveAligned,
                OkrEventTypes.ObjectiveEdited, OkrEventTypes.ObjectiveUnaligned,
                OkrEventTypes.ObjectiveEdited, OkrEventTypes.ObjectiveAligned,
                OkrEventTypes.ObjectiveActivated, OkrEventTypes.ObjectiveActivated,
                OkrEventTypes.CheckInRecorded, OkrEventTypes.HealthChanged,
                OkrEventTypes.CheckInCorrected,
                OkrEventTypes.ObjectiveCreated, OkrEventTypes.ObjectiveCancelled,
                OkrEventTypes.ObjectiveClosed, OkrEventTypes.ObjectiveClosed, OkrEventTypes.GradeOverridden, OkrEventTypes.PeriodClosed,
                OkrEventTypes.PeriodReopened,
                OkrEventTypes.PeriodClosed,
                OkrEventTypes.PeriodArchived,
                OkrEventTypes.ImportCompleted,
            ],
            events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal(_tenant, e.Tenant));
        Assert.All(events, e => Assert.Equal(TestData.Alice, e.Actor));
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.Equal(["title"], Changes(events[4]));
        Assert.Equal(["keyResults"], Changes(events[5]));
        Assert.Equal(["title"], Changes(events[8]));
        Assert.Equal(["alignments"], Changes(events[11]));
    }

    [Fact]
    public async Task Event_data_is_what_the_change_stored()
    {
        var (okr, q, o) = await Setup();
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        var checkIn = await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice, note: "On the way");
        var assessment = await okr.Periods.CloseAsync(_tenant, q.Id);

        var events = await EventsAsync();
        var created = events.Single(e => e.Type == OkrEventTypes.ObjectiveCreated).ReadObjective()!;
        Assert.Equal(1, created.Version);
        Assert.Equal("Grow", created.Title);
        Assert.Equal(o, events.Single(e => e.Type == OkrEventTypes.ObjectiveActivated).ReadObjective());
        Assert.Equal(checkIn, events.Single(e => e.Type == OkrEventTypes.CheckInRecorded).ReadCheckIn());
        var closed = events.Single(e => e.Type == OkrEventTypes.ObjectiveClosed).ReadObjective()!;
        Assert.Equal(await _store.GetObjectiveAsync(_tenant, o.Id), closed);
        var periodClosed = events.Single(e => e.Type == OkrEventTypes.PeriodClosed);
        Assert.Equal(await _store.GetPeriodAsync(_tenant, q.Id), periodClosed.ReadPeriod());
        using var data = JsonDocument.Parse(periodClosed.Data);
        Assert.Equal(assessment.Score!.Value, data.RootElement.GetProperty("score").GetDouble(), 12);

        // The envelope a webhook sends.
        using var envelope = JsonDocument.Parse(periodClosed.ToJson());
        var root = envelope.RootElement;
        Assert.Equal(OkrEvent.Schema, root.GetProperty("schema").GetString());
        Assert.Equal(periodClosed.Id, root.GetProperty("id").GetGuid());
        Assert.Equal(_tenant.ToString(), root.GetProperty("tenant").GetString());
        Assert.Equal(periodClosed.Sequence, root.GetProperty("sequence").GetInt64());
        Assert.Equal("period.closed", root.GetProperty("type").GetString());
        Assert.Equal("2026-01-05T09:00:00Z", root.GetProperty("occurredAt").GetString());
        Assert.False(root.TryGetProperty("actor", out _));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("data").GetProperty("period").ValueKind);
    }

    [Fact]
    public async Task Health_changes_are_events_when_a_check_in_moves_a_key_result_across_a_band()
    {
        var (okr, _, o) = await Setup();
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        var kr = o.KeyResults[0];   // increase from 100 to 200
        _clock.Advance(Duration.FromDays(45));   // half the quarter gone: about 0.5 expected
        var from = await LastAsync();

        // Never checked in for 45 days: stale.
        foreach (var (target, value) in new[] { (kr, 150m), (kr, 152m), (kr, 105m), (o.KeyResults[1], 150m) })
        {
            _clock.Advance(Duration.FromMinutes(1));
            await okr.CheckIns.RecordAsync(_tenant, target.Id, value, TestData.Alice);   // stale -> on track, nothing, -> off track, stale -> on track
        }

        var changes = (await EventsAsync(from)).Select(e => e.ReadHealthChange()).OfType<OkrHealthChange>().ToList();
        Assert.Equal(
            [(kr.Id, HealthStatus.Stale, HealthStatus.OnTrack), (kr.Id, HealthStatus.OnTrack, HealthStatus.OffTrack), (o.KeyResults[1].Id, HealthStatus.Stale, HealthStatus.OnTrack)],
            changes.Select(c => (c.KeyResult, c.Previous, c.Current)));
        Assert.All(changes, c => Assert.Equal(o.Id, c.Objective));
        Assert.Equal(0.05, changes[1].Progress!.Value, 9);
    }

    [Fact]
    public async Task Health_changes_are_raised_only_for_the_key_results_checked_in()
    {
        var (okr, _, o) = await Setup();
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        _clock.Advance(Duration.FromDays(45));
        await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice);   // stale -> on track

        // Forty days later the first key result has slipped (stale, behind pace), but only the second is checked in:
        // the first one's change waits for the check-in that shows it.
        _clock.Advance(Duration.FromDays(40));
        var from = await LastAsync();
        await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[1].Id, 195, TestData.Alice);

        var change = Assert.Single((await EventsAsync(from)).Select(e => e.ReadHealthChange()).OfType<OkrHealthChange>());
        Assert.Equal((o.KeyResults[1].Id, HealthStatus.Stale, HealthStatus.OnTrack), (change.KeyResult, change.Previous, change.Current));
        var first = await okr.Progress.GetObjectiveStatusAsync(_tenant, o.Id);
        Assert.NotEqual(HealthStatus.OnTrack, first.KeyResults[0].Health.Status);
    }

    [Fact]
    public async Task Health_is_judged_from_one_read_of_the_values_before_the_batch()
    {
        var counting = new ReadCountingStore(_store);
        var (okr, _, o) = await Setup(new OkrService(counting, _clock));
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        var first = await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 120, TestData.Alice);
        counting.ValueReads = 0;

        // A batch with a correction of the earlier check-in and two new values: one read of the values in force.
        await okr.CheckIns.RecordManyAsync(_tenant, [
            first.Correct(CheckInId.New(_clock), 190, TestData.Alice, _clock),
            CheckIn.Record(CheckInId.New(_clock), o.KeyResults[1].Id, 150, TestData.Alice, _clock),
            CheckIn.Record(CheckInId.New(_clock), o.KeyResults[2].Id, 150, TestData.Alice, _clock)]);
        Assert.Equal(1, counting.ValueReads);
    }

    [Fact]
    public async Task A_failed_write_leaves_no_event()
    {
        var (okr, _, o) = await Setup();
        var before = await EventsAsync();
        await Assert.ThrowsAsync<OkrValidationException>(() => okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice).AsTask());   // still a draft
        var twoKrs = await okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), o.PeriodId, "Too small", TestData.Alice, _clock, keyResults: TestData.Krs(2)));
        var afterCreate = await LastAsync();
        await Assert.ThrowsAsync<OkrValidationException>(() => okr.Objectives.ActivateAsync(_tenant, twoKrs.Id).AsTask());
        await Assert.ThrowsAsync<OkrConcurrencyException>(() => okr.Objectives.EditAsync(_tenant, o.Id, (x, c) => x.WithTitle("Stale", c), expectedVersion: 99).AsTask());
        Assert.Equal(before.Count + 1, afterCreate);
        Assert.Equal(afterCreate, await LastAsync());
    }

    [Fact]
    public async Task A_retried_check_in_raises_its_events_once()
    {
        var (okr, _, o) = await Setup();
        await okr.Objectives.ActivateAsync(_tenant, o.Id);
        var id = CheckInId.New(_clock);
        var first = await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice, id: id);
        var last = await LastAsync();
        Assert.Equal(first, await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice, id: id));
        Assert.Equal(last, await LastAsync());

        // Past the facade's own check, the store skips the events whose ids it has (they derive from the check-in's id).
        var again = await okr.CheckIns.RecordManyAsync(_tenant, [first]);
        Assert.Equal(0, again);
        Assert.Single(await EventsAsync(), e => e.Type == OkrEventTypes.CheckInRecorded);
        Assert.Single(await EventsAsync(), e => e.Type == OkrEventTypes.HealthChanged);
    }

    [Fact]
    public async Task A_batch_mixing_a_retried_check_in_with_a_new_one_still_raises_the_health_change()
    {
        var (okr, _, o) = await Setup();
        o = await okr.Objectives.ActivateAsync(_tenant, o.Id);
        var kr = o.KeyResults[0].Id;   // increase from 100 to 200
        _clock.Advance(Duration.FromDays(45));
        var first = await okr.CheckIns.RecordAsync(_tenant, kr, 150, TestData.Alice);   // stale -> on track
        _clock.Advance(Duration.FromMinutes(1));
        var from = await LastAsync();

        // The new check-in first and the retried one last: the change is the new one's, and it is raised once.
        var fresh = CheckIn.Record(CheckInId.New(_clock), kr, 105, TestData.Alice, _clock);
        Assert.Equal(1, await okr.CheckIns.RecordManyAsync(_tenant, [fresh, first]));
        var change = Assert.Single((await EventsAsync(from)).Select(e => e.ReadHealthChange()).OfType<OkrHealthChange>());
        Assert.Equal((HealthStatus.OnTrack, HealthStatus.OffTrack), (change.Previous, change.Current));

        // The same batch again raises nothing.
        var last = await LastAsync();
        Assert.Equal(0, await okr.CheckIns.RecordManyAsync(_tenant, [fresh, first]));
        Assert.Equal(last, await LastAsync());
    }

    [Fact]
    public async Task A_token_that_fires_after_the_commit_does_not_turn_a_committed_write_into_an_error()
    {
        using var cancel = new CancellationTokenSource();
        var store = new CancelAfterCommitStore(_store, cancel);
        var okr = new OkrService(store, _clock);
        var (_, q, o) = await Setup(okr);
        await okr.Objectives.ActivateAsync(_tenant, o.Id);

        store.Armed = true;
        var checkIn = await okr.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 150, TestData.Alice, cancellationToken: cancel.Token);
        Assert.True(cancel.IsCancellationRequested);
        Assert.Equal(checkIn, await _store.GetCheckInAsync(_tenant, checkIn.Id));

        using var cancel2 = new CancellationTokenSource();
        store.Cancel = cancel2;
        store.Armed = true;
        var created = await okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "Late", TestData.Alice, _clock, keyResults: TestData.Krs(3)), cancel2.Token);
        Assert.True(cancel2.IsCancellationRequested);
        Assert.Equal(created, await _store.GetObjectiveAsync(_tenant, created.Id));

        using var cancel3 = new CancellationTokenSource();
        store.Cancel = cancel3;
        store.Armed = true;
        var assessment = await okr.Periods.CloseAsync(_tenant, q.Id, cancellationToken: cancel3.Token);
        Assert.True(cancel3.IsCancellationRequested);
        Assert.Equal(PeriodState.Closed, (await _store.GetPeriodAsync(_tenant, q.Id))!.State);
        Assert.NotNull(assessment.Score);
    }

    [Property(MaxTest = 300)]
    public bool The_value_after_a_batch_equals_the_value_in_force_over_the_whole_history(PositiveInt seed)
    {
        // A random history of one key result (values, corrections of any earlier check-in, ties in time), split into
        // what was stored and a batch; the fast path sees only the stored value in force, the batch and what it corrects.
        var random = new Random(seed.Get);
        var kr = new KeyResultId(Guid.NewGuid());
        var all = new List<CheckIn>();
        var count = random.Next(1, 12);
        for (var i = 0; i < count; i++)
        {
            var recorded = TestData.Start + Duration.FromMinutes(i);
            var effective = TestData.Start - Duration.FromMinutes(random.Next(0, 4) * 60);
            var corrects = all.Count > 0 && random.Next(3) == 0 ? all[random.Next(all.Count)] : null;
            all.Add(corrects is null
                ? new CheckIn(new CheckInId(Guid.CreateVersion7()), kr, random.Next(0, 100), TestData.Alice, effective, recorded)
                : new CheckIn(new CheckInId(Guid.CreateVersion7()), kr, random.Next(0, 100), TestData.Alice, corrects.EffectiveAt, recorded, corrects: corrects.Id));
        }

        var split = random.Next(0, count);
        var (stored, batch) = (all.Take(split).ToList(), all.Skip(split).ToList());
        var before = CheckInHistory.AsOf(stored, Instant.MaxValue);
        var inBatch = batch.ToDictionary(c => c.Id);
        var corrected = stored.Where(s => batch.Any(b => b.Corrects == s.Id)).ToDictionary(c => c.Id);
        return OkrCheckIns.ValueAfter(before, batch, inBatch, corrected) == CheckInHistory.AsOf(all, Instant.MaxValue);
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
            Assert.Contains(measurements, m => m.Name == OkrTelemetry.SummaryDuration && m.Value >= 0);
        }

        lock (activities)
        {
            Assert.Contains(activities, a => a.OperationName == "okr.check_ins.record_many" && (int)a.GetTagItem("okr.check_ins.count")! == 3 && (string)a.GetTagItem(OkrTelemetry.TenantTag)! == _tenant.ToString());
            Assert.Contains(activities, a => a.OperationName == "okr.progress.summarize");
        }
    }

    private static List<string> Changes(OkrEvent e)
    {
        using var data = JsonDocument.Parse(e.Data);
        return [.. data.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetString()!)];
    }

    private sealed class ReadCountingStore(IOkrStore inner) : Okr.Storage.Specification.DelegatingOkrStore(inner)
    {
        public int ValueReads { get; set; }

        public override ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default)
        {
            ValueReads++;
            return base.GetValuesAsOfAsync(tenant, keyResults, effectiveAt, knownAt, cancellationToken);
        }
    }

    /// <summary>Cancels the caller's token the moment a commit has returned: the write stands, so must the answer.</summary>
    private sealed class CancelAfterCommitStore(IOkrStore inner, CancellationTokenSource cancel) : Okr.Storage.Specification.DelegatingOkrStore(inner)
    {
        public CancellationTokenSource Cancel { get; set; } = cancel;

        public bool Armed { get; set; }

        public override async ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
        {
            var result = await base.CommitAsync(tenant, changes, cancellationToken);
            if (Armed)
            {
                Armed = false;
                await Cancel.CancelAsync();
            }

            return result;
        }
    }
}
