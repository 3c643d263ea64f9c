using Npgsql;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// <see cref="OkrChangeSet.ExpectCheckInCount"/> inside PostgreSQL, with an append of the same key result in flight (in
/// a host transaction through <see cref="PostgreSqlOkrStore.WithTransaction"/>, written and not committed): the unit
/// waits on the lock the append holds and, once the append commits, counts it and fails. A unit expecting another key
/// result's count does not wait. The kit's races pause a unit before its commit; this pins the two inside the database
/// at once, where only the lock keeps the count true.
/// </summary>
public class CheckInCountLockTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 12, 9, 0);

    [PostgresFact]
    public async Task An_expected_count_waits_for_an_append_of_its_key_result_in_flight_and_then_fails()
    {
        // A database of its own: any backend waiting on a lock in it is this test's.
        var database = TestDatabase.CreateDatabase();
        await using var store = new PostgreSqlOkrStore(database);
        await store.InitializeAsync();
        var clock = new FakeClock(Start);
        var tenant = new TenantId(Guid.CreateVersion7());
        var period = OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1);
        var objective = Objective.Create(ObjectiveId.New(clock), period.Id, "Grow", OwnerRef.Team("t"), clock, keyResults:
        [
            new KeyResult(KeyResultId.New(clock), "One", new IncreaseMeasure(0m, 100m)),
            new KeyResult(KeyResultId.New(clock), "Two", new IncreaseMeasure(0m, 100m)),
        ]);
        var (kr, other) = (objective.KeyResults[0].Id, objective.KeyResults[1].Id);
        await store.ImportAsync(tenant, new OkrDocument(tenant, [period], [objective], []));

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (transaction)
        {
            await store.WithTransaction(transaction).CommitAsync(tenant, new OkrChangeSet().Append([CheckIn(kr, 10m)]));

            // Another key result's count is not held up by the append in flight.
            await store.CommitAsync(tenant, new OkrChangeSet().ExpectCheckInCount(other, 0).Append([CheckIn(other, 20m)])).AsTask().WaitAsync(TimeSpan.FromMinutes(1));

            // The same key result's: the unit waits on the append's lock until it commits.
            var expecting = store.CommitAsync(tenant, new OkrChangeSet().ExpectCheckInCount(kr, 0).Append([CheckIn(kr, 30m)])).AsTask();
            Assert.True(await WaitsOnALockAsync(database, expecting), "The unit committed while an append of its key result was in flight.");
            await transaction.CommitAsync();

            var stale = await Assert.ThrowsAsync<OkrConcurrencyException>(() => expecting);
            Assert.Equal((0L, 1L), (stale.ExpectedVersion, stale.ActualVersion!.Value));
        }

        var history = new List<decimal>();
        await foreach (var c in store.GetHistoryAsync(tenant, kr))
        {
            history.Add(c.Value);
        }

        Assert.Equal([10m], history);
    }

    private static CheckIn CheckIn(KeyResultId kr, decimal value) =>
        new(new CheckInId(Guid.CreateVersion7()), kr, value, OwnerRef.Person("a"), Start, Start, null, "note", null);

    /// <summary>
    /// Whether a backend of the database comes to wait on a lock before <paramref name="unit"/> completes: asked of
    /// <c>pg_stat_activity</c> again until one of the two happens (a signal from the server, not a timing guess).
    /// </summary>
    private static async Task<bool> WaitsOnALockAsync(string database, Task unit)
    {
        await using var watcher = new NpgsqlConnection(database);
        await watcher.OpenAsync();
        await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!unit.IsCompleted && deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            if ((long)(await waiting.ExecuteScalarAsync())! > 0)
            {
                return true;
            }
        }

        return false;
    }
}
