using System.Collections.Concurrent;
using NodaTime;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

// The transactional outbox (IOkrEventOutbox): an event exists if and only if its unit committed, sequence numbers
// follow commit order per tenant, leases keep a tenant's stream with one dispatcher at a time across store instances,
// and a failing subscriber is retried without holding up other tenants. Each dispatcher here is limited to the test's
// own tenants, so stores that share a database between tests stay correct.
public abstract partial class OkrStoreSpecification
{
    private static OkrEvent Draft(TenantId tenant, string type = "test.happened", string data = "{}", Guid? id = null) =>
        new(id ?? Guid.NewGuid(), tenant, 0, type, Start, Author, data);

    private static IOkrEventOutbox Outbox(IOkrStore store) =>
        store as IOkrEventOutbox ?? throw new InvalidOperationException($"{store.GetType().Name} does not implement IOkrEventOutbox; every store must.");

    /// <summary>A committed unit leaves exactly its events, numbered from the tenant's next sequence, and reads them back whole.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Outbox_a_committed_unit_leaves_exactly_its_events() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var outbox = Outbox(store);
        Assert.Null(await outbox.GetStreamStateAsync(tenant));
        var period = Quarter();
        var first = Draft(tenant, "period.created", """{"note":"ünïcödé ✓"}""");
        var second = Draft(tenant, "period.created") with { Actor = null };
        var result = await store.CommitAsync(tenant, new OkrChangeSet().Save(period, 0).Raise(first).Raise(second));
        Assert.Equal([1L, 2], result.Events.Select(e => e.Sequence));
        var third = await store.CommitAsync(tenant, new OkrChangeSet().Save(NewObjective(period.Id), 0).Raise(Draft(tenant)));
        Assert.Equal(3, Assert.Single(third.Events).Sequence);

        var events = await outbox.ReadEventsAsync(tenant, 0, 10);
        Assert.Equal([first with { Sequence = 1 }, second with { Sequence = 2 }, third.Events[0]], events);
        Assert.Equal([third.Events[0]], await outbox.ReadEventsAsync(tenant, 2, 10));
        Assert.Equal([first with { Sequence = 1 }], await outbox.ReadEventsAsync(tenant, 0, 1));
        var state = await outbox.GetStreamStateAsync(tenant);
        Assert.Equal((3L, 0L, 0, (string?)null), (state!.LastSequence, state.DeliveredThrough, state.Attempts, state.LeasedBy));
        Assert.Empty(await outbox.ReadEventsAsync(NewTenant(), 0, 10));
    });

    /// <summary>A unit that fails (a stale expectation, a cancelled token) leaves no event and takes no number.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Outbox_a_failed_unit_leaves_no_event() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var outbox = Outbox(store);
        var period = Quarter();
        await store.CommitAsync(tenant, new OkrChangeSet().Save(period, 0).Raise(Draft(tenant)));
        await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await store.CommitAsync(tenant, new OkrChangeSet().ExpectPeriod(period.Id, 7).Save(NewObjective(period.Id), 0).Raise(Draft(tenant))));
        await Assert.ThrowsAnyAsync<Exception>(async () => await store.CommitAsync(tenant, new OkrChangeSet().Save(period, 0).Raise(Draft(tenant))));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.CommitAsync(tenant, new OkrChangeSet().Save(NewObjective(period.Id), 0).Raise(Draft(tenant)), cancelled.Token));

        var next = await store.CommitAsync(tenant, new OkrChangeSet().Save(NewObjective(period.Id), 0).Raise(Draft(tenant)));
        Assert.Equal([1L, 2], (await outbox.ReadEventsAsync(tenant, 0, 10)).Select(e => e.Sequence));
        Assert.Equal(2, next.Events[0].Sequence);
    });

    /// <summary>An event raised for a check-in is left out when that check-in was stored before: a retry raises nothing twice.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Outbox_events_of_a_check_in_stored_before_are_left_out() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var outbox = Outbox(store);
        var checkIn = NewCheckIn(new KeyResultId(Guid.NewGuid()), 10m);
        var first = await store.CommitAsync(tenant, new OkrChangeSet().Append([checkIn]).Raise(Draft(tenant, "checkIn.recorded"), checkIn.Id));
        Assert.Single(first.Events);

        // The same check-in again (a retry), with its event and an unconditional one; and a new check-in repeated in one batch.
        var fresh = NewCheckIn(checkIn.KeyResultId, 11m, effectiveDay: 1);
        var again = await store.CommitAsync(tenant, new OkrChangeSet()
            .Append([checkIn, fresh, fresh])
            .Raise(Draft(tenant, "checkIn.recorded"), checkIn.Id)
            .Raise(Draft(tenant, "checkIn.recorded"), fresh.Id)
            .Raise(Draft(tenant, "import.completed")));
        Assert.Equal(1, again.CheckInsAdded);
        Assert.Equal(["checkIn.recorded", "import.completed"], again.Events.Select(e => e.Type));
        Assert.Equal([1L, 2, 3], (await outbox.ReadEventsAsync(tenant, 0, 10)).Select(e => e.Sequence));

        // An event may only depend on a check-in of its own unit.
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.CommitAsync(tenant, new OkrChangeSet().Save(Quarter(), 0).Raise(Draft(tenant), checkIn.Id)));
    });

    /// <summary>Units committed side by side through two store instances get distinct numbers, in each writer's commit order, with no gaps.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Outbox_sequence_numbers_follow_commit_order_across_instances() => WithStore(async store =>
    {
        var second = await CreateSecondInstanceAsync(store).ConfigureAwait(false);
        try
        {
            var tenant = NewTenant();
            var period = Quarter();
            await store.CommitAsync(tenant, new OkrChangeSet().Save(period, 0));
            async Task<List<long>> Writer(IOkrStore instance, string name)
            {
                var firsts = new List<long>();
                for (var i = 0; i < 12; i++)
                {
                    var result = await instance.CommitAsync(tenant, new OkrChangeSet().Save(NewObjective(period.Id, $"{name} {i}"), 0).Raise(Draft(tenant, name)).Raise(Draft(tenant, name)));
                    firsts.Add(result.Events[0].Sequence);
                    Assert.Equal(result.Events[0].Sequence + 1, result.Events[1].Sequence);
                }

                return firsts;
            }

            var runs = await Task.WhenAll(Task.Run(() => Writer(store, "a")), Task.Run(() => Writer(second, "b")));
            foreach (var firsts in runs)
            {
                Assert.Equal(firsts.Order(), firsts);
            }

            var events = await Outbox(store).ReadEventsAsync(tenant, 0, 100);
            Assert.Equal(Enumerable.Range(1, 48).Select(i => (long)i), events.Select(e => e.Sequence));
            Assert.Equal(runs.SelectMany(r => r).Order(), events.Where((_, i) => i % 2 == 0).Select(e => e.Sequence));
        }
        finally
        {
            if (!ReferenceEquals(second, store))
            {
                await ReleaseStoreAsync(second).ConfigureAwait(false);
            }
        }
    });

    /// <summary>A lease keeps a stream with one holder until it expires; a lost lease acknowledges nothing.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Outbox_a_lease_is_exclusive_until_it_expires() => WithStore(async store =>
    {
        var second = await CreateSecondInstanceAsync(store).ConfigureAwait(false);
        try
        {
            var tenant = NewTenant();
            await store.CommitAsync(tenant, new OkrChangeSet().Save(Quarter(), 0).Raise(Draft(tenant)).Raise(Draft(tenant)));
            var (a, b) = (Outbox(store), Outbox(second));
            var now = Start;
            var lease = Assert.Single(await a.LeaseAsync("a", now, Duration.FromMinutes(1), 10, [tenant]));
            Assert.Equal((tenant, 0L, 2L, 0), (lease.Tenant, lease.DeliveredThrough, lease.LastSequence, lease.Attempts));
            Assert.Empty(await b.LeaseAsync("b", now + Duration.FromSeconds(59), Duration.FromMinutes(1), 10, [tenant]));
            Assert.Equal("a", (await b.GetStreamStateAsync(tenant))!.LeasedBy);

            // Expired: the other instance takes it, and the first holder's acknowledgement and release change nothing.
            var taken = Assert.Single(await b.LeaseAsync("b", now + Duration.FromMinutes(1), Duration.FromMinutes(1), 10, [tenant]));
            Assert.False(await a.AcknowledgeAsync(lease, 2, now + Duration.FromMinutes(2)));
            Assert.False(await a.ReleaseAsync(lease, null));
            Assert.Equal(0, (await b.GetStreamStateAsync(tenant))!.DeliveredThrough);
            Assert.True(await b.AcknowledgeAsync(taken, 1, now + Duration.FromMinutes(3)));
            Assert.True(await b.ReleaseAsync(taken, null));
            var state = (await a.GetStreamStateAsync(tenant))!;
            Assert.Equal((1L, (string?)null, (Instant?)null), (state.DeliveredThrough, state.LeasedBy, state.LeasedUntil));

            // Acknowledging never moves the cursor back or past the last event.
            var again = Assert.Single(await a.LeaseAsync("a", now, Duration.FromMinutes(1), 10, [tenant]));
            Assert.True(await a.AcknowledgeAsync(again, 0, now + Duration.FromMinutes(1)));
            Assert.Equal(1, (await a.GetStreamStateAsync(tenant))!.DeliveredThrough);
            Assert.True(await a.AcknowledgeAsync(again, 99, now + Duration.FromMinutes(1)));
            Assert.Equal(2, (await a.GetStreamStateAsync(tenant))!.DeliveredThrough);
            Assert.True(await a.ReleaseAsync(again, null));
            Assert.Empty(await a.LeaseAsync("a", now, Duration.FromMinutes(1), 10, [tenant]));   // nothing left to deliver
        }
        finally
        {
            if (!ReferenceEquals(second, store))
            {
                await ReleaseStoreAsync(second).ConfigureAwait(false);
            }
        }
    });

    /// <summary>Two dispatchers on two store instances never deliver one tenant's events at the same time, and deliver every event.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Outbox_two_dispatchers_never_deliver_the_same_stream_at_once() => WithStore(async store =>
    {
        var second = await CreateSecondInstanceAsync(store).ConfigureAwait(false);
        try
        {
            var tenants = Enumerable.Range(0, 4).Select(_ => NewTenant()).ToList();
            var written = new List<OkrEvent>();
            foreach (var tenant in tenants)
            {
                var period = Quarter();
                written.AddRange((await store.CommitAsync(tenant, new OkrChangeSet().Save(period, 0).Raise(Draft(tenant)).Raise(Draft(tenant)))).Events);
                for (var i = 0; i < 3; i++)
                {
                    written.AddRange((await store.CommitAsync(tenant, new OkrChangeSet().Save(NewObjective(period.Id), 0).Raise(Draft(tenant)))).Events);
                }
            }

            var watcher = new OverlapWatcher();
            var clock = new KitClock(Start);
            var options = new OkrEventDispatcherOptions { Tenants = tenants, BatchSize = 1, MaxTenants = 2 };
            var dispatchers = new[] { new OkrEventDispatcher(Outbox(store), [watcher], clock, options with { Owner = "one" }), new OkrEventDispatcher(Outbox(second), [watcher], clock, options with { Owner = "two" }) };
            async Task Drain(OkrEventDispatcher d)
            {
                for (var round = 0; round < 200 && watcher.Delivered.Count < written.Count; round++)
                {
                    await d.DispatchOnceAsync().ConfigureAwait(false);
                }
            }

            await Task.WhenAll(dispatchers.Select(d => Task.Run(() => Drain(d))));
            Assert.Equal(0, watcher.Overlaps);
            Assert.Equal(written.Select(e => e.Id).Order(), watcher.Delivered.Select(e => e.Id).Order());
            foreach (var tenant in tenants)
            {
                Assert.Equal(written.Where(e => e.Tenant == tenant).Select(e => e.Sequence), watcher.Delivered.Where(e => e.Tenant == tenant).Select(e => e.Sequence));
            }
        }
        finally
        {
            if (!ReferenceEquals(second, store))
            {
                await ReleaseStoreAsync(second).ConfigureAwait(false);
            }
        }
    });

    /// <summary>A subscriber that throws is retried after its backoff, from the failed event on, while another tenant's events are delivered.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Outbox_a_throwing_subscriber_is_retried_and_does_not_block_other_tenants() => WithStore(async store =>
    {
        var (broken, fine) = (NewTenant(), NewTenant());
        foreach (var tenant in new[] { broken, fine })
        {
            await store.CommitAsync(tenant, new OkrChangeSet().Save(Quarter(), 0).Raise(Draft(tenant)).Raise(Draft(tenant)).Raise(Draft(tenant)));
        }

        var clock = new KitClock(Start);
        var subscriber = new FailingFor(broken, failures: 2);
        var dispatcher = new OkrEventDispatcher(Outbox(store), [subscriber], clock, new OkrEventDispatcherOptions { Tenants = [broken, fine] });
        await dispatcher.DispatchOnceAsync();
        Assert.Equal([1L, 2, 3], subscriber.Delivered.Where(e => e.Tenant == fine).Select(e => e.Sequence));
        var state = (await Outbox(store).GetStreamStateAsync(broken))!;
        Assert.Equal((0L, 1, Start + Duration.FromSeconds(1)), (state.DeliveredThrough, state.Attempts, state.NextAttemptAt));
        Assert.NotNull(state.LastError);

        await dispatcher.DispatchOnceAsync();   // not due yet
        clock.Now += Duration.FromSeconds(1);
        await dispatcher.DispatchOnceAsync();   // fails again
        Assert.Equal(2, (await Outbox(store).GetStreamStateAsync(broken))!.Attempts);
        clock.Now += Duration.FromSeconds(2);
        await dispatcher.DispatchOnceAsync();
        Assert.Equal([1L, 2, 3], subscriber.Delivered.Where(e => e.Tenant == broken).Select(e => e.Sequence));
        Assert.Equal(3, subscriber.Tries);
        state = (await Outbox(store).GetStreamStateAsync(broken))!;
        Assert.Equal((3L, 0, (string?)null), (state.DeliveredThrough, state.Attempts, state.LastError));
    });

    /// <summary>Delivered events older than the retention are pruned; undelivered ones stay whatever their age.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Outbox_prunes_only_delivered_events_past_the_retention() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var outbox = Outbox(store);
        var period = Quarter();
        await store.CommitAsync(tenant, new OkrChangeSet().Save(period, 0).Raise(Draft(tenant)).Raise(Draft(tenant)));
        var clock = new KitClock(Start);
        var dispatcher = new OkrEventDispatcher(outbox, [], clock, new OkrEventDispatcherOptions { Tenants = [tenant], Retention = Duration.FromDays(1) });
        await dispatcher.DispatchOnceAsync();
        await store.CommitAsync(tenant, new OkrChangeSet().Save(NewObjective(period.Id), 0).Raise(Draft(tenant)));
        clock.Now += Duration.FromDays(2);
        Assert.True(await dispatcher.PruneAsync() >= 2);
        Assert.Equal([3L], (await outbox.ReadEventsAsync(tenant, 0, 10)).Select(e => e.Sequence));
        var state = (await outbox.GetStreamStateAsync(tenant))!;
        Assert.Equal((3L, 2L), (state.LastSequence, state.DeliveredThrough));
    });

    /// <summary>Bad arguments to the outbox are refused by name before anything is read or written.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Outbox_refuses_bad_arguments() => WithStore(async store =>
    {
        var outbox = Outbox(store);
        var tenant = NewTenant();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await outbox.LeaseAsync(" ", Start, Duration.FromMinutes(1), 1));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await outbox.LeaseAsync("x", Start, Duration.Zero, 1));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await outbox.LeaseAsync("x", Start, Duration.FromMinutes(1), 0));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await outbox.LeaseAsync("x", Start, Duration.FromMinutes(1), 1, [default]));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await outbox.ReadEventsAsync(tenant, -1, 10));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await outbox.ReadEventsAsync(tenant, 0, 0));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await outbox.ReadEventsAsync(default, 0, 10));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.CommitAsync(tenant, new OkrChangeSet().Save(Quarter(), 0).Raise(Draft(NewTenant()))));
        var duplicate = Draft(tenant);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.CommitAsync(tenant, new OkrChangeSet().Save(Quarter(), 0).Raise(duplicate).Raise(duplicate)));
        Assert.Null(await outbox.GetStreamStateAsync(tenant));
    });

    /// <summary>Counts deliveries of a tenant's events that overlap in time (there must be none).</summary>
    private sealed class OverlapWatcher : IOkrEventSubscriber
    {
        private readonly ConcurrentDictionary<TenantId, int> _inFlight = new();
        private int _overlaps;

        public ConcurrentQueue<OkrEvent> Delivered { get; } = new();

        public int Overlaps => Volatile.Read(ref _overlaps);

        public async ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            if (_inFlight.AddOrUpdate(okrEvent.Tenant, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref _overlaps);
            }

            // Hand the thread over while "handling", so the other dispatcher runs in the middle of it.
            await Task.Yield();
            Delivered.Enqueue(okrEvent);
            _inFlight.AddOrUpdate(okrEvent.Tenant, 0, (_, n) => n - 1);
        }
    }

    /// <summary>Throws on the first event of one tenant the given number of times.</summary>
    private sealed class FailingFor(TenantId tenant, int failures) : IOkrEventSubscriber
    {
        private int _failures = failures;

        public List<OkrEvent> Delivered { get; } = [];

        public int Tries { get; private set; }

        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            if (okrEvent.Tenant == tenant && okrEvent.Sequence == 1)
            {
                Tries++;
                if (_failures-- > 0)
                {
                    throw new InvalidOperationException("receiver unavailable");
                }
            }

            Delivered.Add(okrEvent);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class KitClock(Instant now) : IClock
    {
        public Instant Now { get; set; } = now;

        public Instant GetCurrentInstant() => Now;
    }
}
