using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>An OKR write and the host's own write in one SQLite transaction: both commit or both roll back; a failed unit leaves nothing and the transaction usable.</summary>
public class SharedTransactionTests
{
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 1, 5, 9, 0));
    private readonly TenantId _tenant = new(Guid.NewGuid());

    private static async Task<(string File, SqliteOkrStore Store)> FileWithHostTableAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"okr-shared-{Guid.NewGuid():N}.db");
        var store = new SqliteOkrStore($"Data Source={file}");
        await store.InitializeAsync();
        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE host_audit (id TEXT PRIMARY KEY, what TEXT NOT NULL)";
        create.ExecuteNonQuery();
        return (file, store);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_host_write_and_an_OKR_write_in_the_hosts_transaction_commit_or_roll_back_together(bool commit)
    {
        var (file, store) = await FileWithHostTableAsync();
        using var owner = store;
        var period = OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1);
        using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, transaction, "INSERT INTO host_audit (id, what) VALUES ('a1', 'period planned')");
            var okr = new OkrService(store.WithTransaction(transaction), _clock);
            await okr.Periods.CreateAsync(_tenant, period);
            await okr.Periods.ActivateAsync(_tenant, period.Id);   // reads its own uncommitted write
            if (commit)
            {
                transaction.Commit();
            }
            else
            {
                transaction.Rollback();
            }
        }

        Assert.Equal(commit ? PeriodState.Active : null, (await store.GetPeriodAsync(_tenant, period.Id))?.State);
        Assert.Equal(commit ? 1L : 0L, Count(file, "SELECT count(*) FROM host_audit"));
        Assert.Equal(commit ? 2L : 0L, Count(file, "SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task A_failed_OKR_unit_rolls_back_to_its_savepoint_and_the_host_transaction_goes_on()
    {
        var (file, store) = await FileWithHostTableAsync();
        using var owner = store;
        var period = OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1);
        var clash = OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 2);
        var kr = new KeyResult(KeyResultId.New(_clock), "Shared", new IncreaseMeasure(0, 10));
        var holder = Objective.Create(ObjectiveId.New(_clock), period.Id, "Holder", OwnerRef.Team("t"), _clock, keyResults: [kr]);
        var thief = Objective.Create(ObjectiveId.New(_clock), clash.Id, "Thief", OwnerRef.Team("t"), _clock, keyResults: [kr]);
        using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            var bound = store.WithTransaction(transaction);
            await bound.CommitAsync(_tenant, new OkrChangeSet().Save(period, 0).Save(holder, 0));

            // Half-way: its period written, then its objective claims a key result another holds. Nothing of it stays.
            await Assert.ThrowsAsync<OkrValidationException>(async () => await bound.CommitAsync(_tenant, new OkrChangeSet().Save(clash, 0).Save(thief, 0)));
            Execute(connection, transaction, "INSERT INTO host_audit (id, what) VALUES ('a2', 'after the failed unit')");
            transaction.Commit();
        }

        Assert.NotNull(await store.GetObjectiveAsync(_tenant, holder.Id));
        Assert.Null(await store.GetPeriodAsync(_tenant, clash.Id));
        Assert.Null(await store.GetObjectiveAsync(_tenant, thief.Id));
        Assert.Equal(1L, Count(file, "SELECT count(*) FROM host_audit"));

        using var elsewhere = new SqliteConnection($"Data Source={Path.Combine(Path.GetTempPath(), $"okr-other-{Guid.NewGuid():N}.db")}");
        elsewhere.Open();
        using var wrongFile = elsewhere.BeginTransaction();
        Assert.Throws<ArgumentException>(() => store.WithTransaction(wrongFile));
    }

    /// <summary>
    /// What docs/storage.md says: Microsoft.Data.Sqlite does not take part in System.Transactions, so an OKR write inside
    /// a TransactionScope that is never completed still commits. Bind the store to the host's transaction instead.
    /// </summary>
    [Fact]
    public async Task A_TransactionScope_does_not_hold_back_a_SQLite_write()
    {
        var (_, store) = await FileWithHostTableAsync();
        using var owner = store;
        var period = OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1);
        using (new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled))
        {
            await new OkrService(store, _clock).Periods.CreateAsync(_tenant, period);

            // Not completed: the scope rolls back what enlisted in it, and the SQLite write did not.
        }

        Assert.NotNull(await store.GetPeriodAsync(_tenant, period.Id));
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Count(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
