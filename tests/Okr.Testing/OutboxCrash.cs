using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Testing;

/// <summary>
/// The outbox crash test shared by the SQL stores: a child process records check-ins and delivers their events to a
/// delivery log, and is killed at random points (<see cref="KilledWriter.PlayEventsAsync"/>); then a dispatcher in the
/// test process drains what is left, and the log is compared with what the store committed.
/// </summary>
public static class OutboxCrash
{
    /// <summary>Plays the kills and the drain, and reports what the log and the store hold.</summary>
    /// <param name="store">The store, in the test process, over the same database as the child.</param>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The child's connection string.</param>
    /// <param name="kills">How many times to kill the child.</param>
    /// <returns>The report.</returns>
    public static async Task<OutboxCrashReport> PlayAsync(IOkrStore store, string provider, string connectionString, int kills)
    {
        ArgumentNullException.ThrowIfNull(store);
        var outbox = (IOkrEventOutbox)store;
        var tenant = new TenantId(Guid.NewGuid());
        var clock = SystemClock.Instance;
        var okr = new OkrService(store, clock);
        var today = clock.GetCurrentInstant().InUtc().Date;
        var period = await okr.Periods.CreateAsync(tenant, new OkrPeriod(new PeriodId(Guid.NewGuid()), "Crash quarter", new DateInterval(today.PlusDays(-30), today.PlusDays(60)))).ConfigureAwait(false);
        await okr.Periods.ActivateAsync(tenant, period.Id).ConfigureAwait(false);
        var keyResults = Enumerable.Range(1, 3).Select(i => new KeyResult(new KeyResultId(Guid.NewGuid()), $"KR {i}", new IncreaseMeasure(0, 200))).ToList();
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Survive crashes", OwnerRef.Person("crash-test"), clock, keyResults: keyResults)).ConfigureAwait(false);
        await okr.Objectives.ActivateAsync(tenant, objective.Id).ConfigureAwait(false);

        var log = Path.Combine(Path.GetTempPath(), $"okr-deliveries-{Guid.NewGuid():N}.log");
        try
        {
            var (committed, killsOn) = await KilledWriter.PlayEventsAsync(provider, connectionString, tenant.ToString(), keyResults[0].Id.ToString(), log, kills).ConfigureAwait(false);

            // Restart: a dispatcher an hour later (the killed writers' leases have expired) delivers what is left.
            var drain = new OkrEventDispatcher(outbox, [new AppendingSubscriber(log)], new FakeClock(clock.GetCurrentInstant() + Duration.FromHours(1)), new OkrEventDispatcherOptions { Tenants = [tenant] });
            while (await drain.DispatchOnceAsync().ConfigureAwait(false) > 0)
            {
            }

            var stored = await outbox.ReadEventsAsync(tenant, 0, 100_000).ConfigureAwait(false);
            var delivered = (await File.ReadAllLinesAsync(log).ConfigureAwait(false)).Select(l => Guid.Parse(l.Split(' ')[0])).ToList();
            var checkIns = new List<CheckIn>();
            await foreach (var c in store.GetHistoryAsync(tenant, keyResults[0].Id).ConfigureAwait(false))
            {
                checkIns.Add(c);
            }

            var recorded = stored.Where(e => e.Type == OkrEventTypes.CheckInRecorded).Select(e => e.ReadCheckIn()!.Id).ToList();
            var state = await outbox.GetStreamStateAsync(tenant).ConfigureAwait(false);
            return new OutboxCrashReport(
                kills,
                killsOn,
                committed.Count,
                [.. committed.Where(tag => !checkIns.Any(c => c.Note == tag))],
                [.. stored.Select(e => e.Id).Except(delivered)],
                [.. delivered.Except(stored.Select(e => e.Id))],
                delivered.Count - delivered.Distinct().Count(),
                [.. checkIns.Where(c => recorded.Count(r => r == c.Id) != 1).Select(c => c.Note)],
                state is not null && state.DeliveredThrough == state.LastSequence);
        }
        finally
        {
            File.Delete(log);
        }
    }

    private sealed class AppendingSubscriber(string path) : IOkrEventSubscriber
    {
        public async ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken) =>
            await File.AppendAllTextAsync(path, $"{okrEvent.Id} {okrEvent.Sequence}\n", cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What the outbox crash test found.</summary>
/// <param name="Kills">How many times the writer was killed.</param>
/// <param name="KillsOn">How many kills landed on each marker (begin, committed, handled, delivered).</param>
/// <param name="Commits">How many writes the writers reported committed.</param>
/// <param name="CommittedButMissing">Writes reported committed whose check-in is not stored (must be empty).</param>
/// <param name="Lost">Events stored but never delivered (must be empty).</param>
/// <param name="Invented">Event ids delivered that the store does not hold (must be empty).</param>
/// <param name="Redeliveries">Deliveries of an id already delivered: allowed (at least once), and recognisable by id.</param>
/// <param name="CheckInsWithoutOneEvent">Check-ins that do not have exactly one recorded event (must be empty).</param>
/// <param name="Drained">Whether the stream's cursor reached its last event.</param>
public sealed record OutboxCrashReport(
    int Kills,
    IReadOnlyDictionary<string, int> KillsOn,
    int Commits,
    IReadOnlyList<string> CommittedButMissing,
    IReadOnlyList<Guid> Lost,
    IReadOnlyList<Guid> Invented,
    int Redeliveries,
    IReadOnlyList<string> CheckInsWithoutOneEvent,
    bool Drained)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kills} kills ({string.Join(", ", KillsOn.Select(k => $"{k.Value} on {k.Key}"))}), {Commits} reported commits, {Lost.Count} lost, {Invented.Count} invented, {Redeliveries} redelivered by id, drained: {Drained}";
}
