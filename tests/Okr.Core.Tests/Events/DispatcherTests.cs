using System.Collections.Concurrent;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Events;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Events;

/// <summary>The dispatcher delivers the outbox outside the request: in order, at least once, retrying with backoff.</summary>
public class DispatcherTests
{
    private readonly FakeClock _clock = TestData.Clock();
    private readonly InMemoryOkrStore _store = new();

    private async Task<(OkrService Okr, TenantId Tenant, Objective Objective)> TenantAsync()
    {
        var okr = new OkrService(_store, _clock);
        var tenant = new TenantId(Guid.NewGuid());
        var q = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, q.Id);
        var o = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "Grow", TestData.Alice, _clock, keyResults: TestData.Krs(3)));
        o = await okr.Objectives.ActivateAsync(tenant, o.Id);
        return (okr, tenant, o);
    }

    [Fact]
    public async Task Events_are_delivered_in_sequence_order_per_tenant_and_acknowledged()
    {
        var (_, a, _) = await TenantAsync();
        var (_, b, _) = await TenantAsync();
        var seen = new Recorder();
        var dispatcher = new OkrEventDispatcher(_store, [seen], _clock, new OkrEventDispatcherOptions { BatchSize = 2 });

        Assert.Equal(8, await dispatcher.DispatchOnceAsync());
        Assert.Equal(0, await dispatcher.DispatchOnceAsync());
        foreach (var tenant in new[] { a, b })
        {
            var mine = seen.Events.Where(e => e.Tenant == tenant).ToList();
            Assert.Equal([1L, 2, 3, 4], mine.Select(e => e.Sequence));
            var state = await _store.GetStreamStateAsync(tenant);
            Assert.Equal((4L, 4L, 0, (string?)null), (state!.LastSequence, state.DeliveredThrough, state.Attempts, state.LeasedBy));
        }
    }

    [Fact]
    public async Task A_throwing_subscriber_is_retried_with_backoff_and_other_tenants_go_on()
    {
        var (_, broken, _) = await TenantAsync();
        var (_, fine, _) = await TenantAsync();
        var seen = new Recorder();
        var flaky = new Flaky(broken, failures: 2);
        var reported = new List<(OkrEvent Event, Exception Error)>();
        var dispatcher = new OkrEventDispatcher(_store, [flaky, seen], _clock, new OkrEventDispatcherOptions { OnSubscriberFailure = (e, ex) => reported.Add((e, ex)) });

        // The broken tenant's first event fails; the other tenant is delivered whole.
        Assert.Equal(4, await dispatcher.DispatchOnceAsync());
        Assert.All(seen.Events, e => Assert.Equal(fine, e.Tenant));
        var state = (await _store.GetStreamStateAsync(broken))!;
        Assert.Equal((0L, 1, _clock.GetCurrentInstant() + Duration.FromSeconds(1)), (state.DeliveredThrough, state.Attempts, state.NextAttemptAt));
        Assert.Contains("flaky", state.LastError, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(reported).Event.Sequence);

        // Not due yet; then due, failing again, with the wait doubled.
        Assert.Equal(0, await dispatcher.DispatchOnceAsync());
        _clock.Advance(Duration.FromSeconds(1));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync());
        state = (await _store.GetStreamStateAsync(broken))!;
        Assert.Equal((2, _clock.GetCurrentInstant() + Duration.FromSeconds(2)), (state.Attempts, state.NextAttemptAt));

        // The third attempt succeeds, from the failed event on, in order.
        _clock.Advance(Duration.FromSeconds(2));
        Assert.Equal(4, await dispatcher.DispatchOnceAsync());
        Assert.Equal([1L, 2, 3, 4], seen.Events.Where(e => e.Tenant == broken).Select(e => e.Sequence));
        Assert.Equal(3, flaky.Attempts.Count(e => e.Tenant == broken && e.Sequence == 1));
        Assert.Single(flaky.Attempts.Where(e => e.Tenant == broken && e.Sequence == 1).Select(e => e.Id).Distinct());
        state = (await _store.GetStreamStateAsync(broken))!;
        Assert.Equal((4L, 0, (string?)null), (state.DeliveredThrough, state.Attempts, state.LastError));
    }

    [Fact]
    public async Task A_failure_in_the_middle_of_a_page_keeps_what_was_delivered()
    {
        var (_, tenant, _) = await TenantAsync();
        var flaky = new Flaky(tenant, failures: 1, failOn: 3);
        var dispatcher = new OkrEventDispatcher(_store, [flaky], _clock);
        Assert.Equal(2, await dispatcher.DispatchOnceAsync());
        Assert.Equal(2, (await _store.GetStreamStateAsync(tenant))!.DeliveredThrough);
        _clock.Advance(Duration.FromSeconds(1));
        Assert.Equal(2, await dispatcher.DispatchOnceAsync());
        Assert.Equal([1L, 2, 3, 3, 4], flaky.Attempts.Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_failure_report_that_throws_is_contained()
    {
        var (_, tenant, _) = await TenantAsync();
        var dispatcher = new OkrEventDispatcher(_store, [new Flaky(tenant, failures: 1)], _clock, new OkrEventDispatcherOptions { OnSubscriberFailure = (_, _) => throw new InvalidOperationException("logger down") });
        Assert.Equal(0, await dispatcher.DispatchOnceAsync());
        Assert.Equal(1, (await _store.GetStreamStateAsync(tenant))!.Attempts);
    }

    [Fact]
    public void Backoff_doubles_from_the_base_up_to_the_maximum()
    {
        var dispatcher = new OkrEventDispatcher(_store, [], _clock, new OkrEventDispatcherOptions { RetryBase = Duration.FromSeconds(2), RetryMax = Duration.FromMinutes(1) });
        Assert.Equal(
            [2, 4, 8, 16, 32, 60, 60],
            Enumerable.Range(1, 7).Select(i => dispatcher.Backoff(i).TotalSeconds));
        Assert.Equal(Duration.FromMinutes(1), dispatcher.Backoff(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => dispatcher.Backoff(0));
    }

    [Fact]
    public void Options_have_the_documented_defaults()
    {
        // docs/events.md, "Delivery": the table of options and defaults.
        var o = new OkrEventDispatcherOptions();
        Assert.Equal(
            (16, 100, Duration.FromMinutes(1), Duration.FromSeconds(1), Duration.FromSeconds(1), Duration.FromMinutes(5), Duration.FromDays(7), Duration.FromHours(1)),
            (o.MaxTenants, o.BatchSize, o.LeaseDuration, o.PollInterval, o.RetryBase, o.RetryMax, o.Retention, o.PruneInterval));
        Assert.Null(o.Tenants);
        Assert.Equal($"{Environment.MachineName}:{Environment.ProcessId}", o.Owner);
    }

    [Fact]
    public void Options_out_of_range_are_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new OkrEventDispatcher(_store, [], _clock, new OkrEventDispatcherOptions { LeaseDuration = Duration.Zero }));
        Assert.Equal("LeaseDuration", error.ParamName);
        Assert.Throws<ArgumentException>(() => new OkrEventDispatcher(_store, [], _clock, new OkrEventDispatcherOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentException>(() => new OkrEventDispatcher(_store, [null!], _clock));
    }

    [Fact]
    public async Task Delivered_events_are_pruned_after_the_retention_and_undelivered_ones_kept()
    {
        var (okr, tenant, o) = await TenantAsync();
        var dispatcher = new OkrEventDispatcher(_store, [], _clock, new OkrEventDispatcherOptions { Retention = Duration.FromDays(7) });
        await dispatcher.DispatchOnceAsync();
        _clock.Advance(Duration.FromDays(7) + Duration.FromSeconds(1));
        await okr.CheckIns.RecordAsync(tenant, o.KeyResults[0].Id, 150, TestData.Alice);   // not delivered yet
        Assert.Equal(4, await dispatcher.PruneAsync());
        Assert.Equal([5L, 6], (await _store.ReadEventsAsync(tenant, 0, 100)).Select(e => e.Sequence));
        Assert.Equal(0, await dispatcher.PruneAsync());
    }

    [Fact]
    public async Task A_slow_subscriber_never_holds_up_the_write()
    {
        // The subscriber blocks on the first event until the test lets it go: every write in between completes,
        // so no write waits on a subscriber (it ran 570 ms behind a 500 ms one before the outbox).
        var (okr, tenant, o) = await TenantAsync();
        var blocking = new Blocking();
        var dispatcher = new OkrEventDispatcher(_store, [blocking], SystemClock.Instance, new OkrEventDispatcherOptions { PollInterval = Duration.FromMilliseconds(5) });
        using var stop = new CancellationTokenSource();
        var running = dispatcher.RunAsync(stop.Token);
        await blocking.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var checkIns = new List<CheckIn>();
        for (var i = 0; i < 3; i++)
        {
            checkIns.Add(await okr.CheckIns.RecordAsync(tenant, o.KeyResults[i].Id, 150, TestData.Alice));
        }

        Assert.False(blocking.Release.Task.IsCompleted);
        Assert.Equal(1, blocking.Count);
        Assert.All(checkIns, c => Assert.NotNull(_store.GetCheckInAsync(tenant, c.Id).AsTask().Result));

        blocking.Release.SetResult();
        var last = (await _store.GetStreamStateAsync(tenant))!.LastSequence;
        await blocking.WaitForAsync(tenant, last).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running;
    }

    private sealed class Recorder : IOkrEventSubscriber
    {
        public ConcurrentQueue<OkrEvent> Events { get; } = new();

        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            Events.Enqueue(okrEvent);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Fails the given tenant's event <paramref name="failOn"/> the first <paramref name="failures"/> times.</summary>
    private sealed class Flaky(TenantId tenant, int failures, long failOn = 1) : IOkrEventSubscriber
    {
        private int _failures = failures;

        public List<OkrEvent> Attempts { get; } = [];

        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            if (okrEvent.Tenant == tenant)
            {
                Attempts.Add(okrEvent);
                if (okrEvent.Sequence == failOn && _failures-- > 0)
                {
                    throw new InvalidOperationException("flaky receiver");
                }
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class Blocking : IOkrEventSubscriber
    {
        private readonly ConcurrentDictionary<TenantId, long> _through = new();
        private int _count;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => Volatile.Read(ref _count);

        private (TenantId Tenant, long Sequence)? _waitFor;

        public Task WaitForAsync(TenantId tenant, long sequence)
        {
            _waitFor = (tenant, sequence);
            if (_through.TryGetValue(tenant, out var through) && through >= sequence)
            {
                Done.TrySetResult();
            }

            return Done.Task;
        }

        public async ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            _through[okrEvent.Tenant] = okrEvent.Sequence;
            if (_waitFor is { } w && w.Tenant == okrEvent.Tenant && okrEvent.Sequence >= w.Sequence)
            {
                Done.TrySetResult();
            }
        }
    }
}
