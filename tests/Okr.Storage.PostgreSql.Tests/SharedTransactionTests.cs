using System.Transactions;
using Npgsql;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// An OKR write and the host's own write in one transaction: both commit, or both roll back; a failed OKR unit leaves
/// the host's transaction usable with nothing of the unit in it. Through <see cref="PostgreSqlOkrStore.WithTransaction"/>
/// and through a <see cref="TransactionScope"/>.
/// </summary>
public class SharedTransactionTests
{
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 1, 5, 9, 0));
    private readonly TenantId _tenant = new(Guid.NewGuid());

    private static async Task<string> DatabaseWithHostTableAsync()
    {
        var database = TestDatabase.CreateDatabase();
        await using var store = new PostgreSqlOkrStore(database);
        await store.InitializeAsync();
        await ExecuteAsync(database, "CREATE TABLE host_audit (id uuid PRIMARY KEY, what text NOT NULL)");
        return database;
    }

    [PostgresTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_host_write_and_an_OKR_write_in_the_hosts_transaction_commit_or_roll_back_together(bool commit)
    {
        var database = await DatabaseWithHostTableAsync();
        await using var store = new PostgreSqlOkrStore(database);
        var period = OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1);
        var audit = Guid.NewGuid();

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var insert = new NpgsqlCommand("INSERT INTO host_audit (id, what) VALUES (@id, 'period planned')", connection, transaction))
            {
                insert.Parameters.AddWithValue("id", audit);
                await insert.ExecuteNonQueryAsync();
            }

            var okr = new OkrService(store.WithTransaction(transaction), _clock);
            await okr.Periods.CreateAsync(_tenant, period);
            await okr.Periods.ActivateAsync(_tenant, period.Id);   // reads its own uncommitted write
            Assert.Null(await store.GetPeriodAsync(_tenant, period.Id));   // not visible outside before the commit

            if (commit)
            {
                await transaction.CommitAsync();
            }
            else
            {
                await transaction.RollbackAsync();
            }
        }

        Assert.Equal(commit ? PeriodState.Active : null, (await store.GetPeriodAsync(_tenant, period.Id))?.State);
        Assert.Equal(commit ? 1L : 0L, await CountAsync(database, $"SELECT count(*) FROM host_audit WHERE id = '{audit}'"));
        Assert.Equal(commit ? 2L : 0L, await CountAsync(database, $"SELECT count(*) FROM okr_events WHERE tenant = '{_tenant}'"));   // the events too
    }

    [PostgresFact]
    public async Task A_failed_OKR_unit_rolls_back_to_its_savepoint_and_the_host_transaction_goes_on()
    {
        var database = await DatabaseWithHostTableAsync();
        await using var store = new PostgreSqlOkrStore(database);
        var period = OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1);
        var clash = OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 2);
        var kr = new KeyResult(KeyResultId.New(_clock), "Shared", new IncreaseMeasure(0, 10));
        var holder = Objective.Create(ObjectiveId.New(_clock), period.Id, "Holder", OwnerRef.Team("t"), _clock, keyResults: [kr]);
        var thief = Objective.Create(ObjectiveId.New(_clock), clash.Id, "Thief", OwnerRef.Team("t"), _clock, keyResults: [kr]);

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var bound = store.WithTransaction(transaction);
            var okr = new OkrService(bound, _clock);
            await okr.Periods.CreateAsync(_tenant, period);
            await bound.CommitAsync(_tenant, new OkrChangeSet().Save(holder, 0));

            // A unit that fails half-way inside the store: its period is written, then its objective claims a key result
            // another objective holds. Rolled back to its savepoint: nothing of it stays, and the host's transaction is
            // not aborted (PostgreSQL would refuse every later statement of an aborted one).
            await Assert.ThrowsAsync<OkrValidationException>(async () => await bound.CommitAsync(_tenant, new OkrChangeSet().Save(clash, 0).Save(thief, 0)));
            await ExecuteAsync(connection, transaction, "INSERT INTO host_audit (id, what) VALUES (gen_random_uuid(), 'after the failed unit')");
            await transaction.CommitAsync();
        }

        Assert.NotNull(await store.GetPeriodAsync(_tenant, period.Id));
        Assert.NotNull(await store.GetObjectiveAsync(_tenant, holder.Id));
        Assert.Null(await store.GetPeriodAsync(_tenant, clash.Id));
        Assert.Null(await store.GetObjectiveAsync(_tenant, thief.Id));
        Assert.Equal(1L, await CountAsync(database, "SELECT count(*) FROM host_audit"));
        await using var closed = new NpgsqlConnection(database);
        await closed.OpenAsync();
        var orphan = await closed.BeginTransactionAsync();
        await closed.CloseAsync();
        Assert.Throws<ArgumentException>(() => store.WithTransaction(orphan));
    }

    [PostgresTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Inside_a_TransactionScope_the_store_joins_the_hosts_transaction(bool complete)
    {
        var database = await DatabaseWithHostTableAsync();

        // One data source for the host and the store: Npgsql hands the scope's connection to the next open in it, so the
        // scope stays one (local) transaction instead of escalating to a distributed one.
        await using var source = NpgsqlDataSource.Create(database);
        var store = new PostgreSqlOkrStore(source);
        var okr = new OkrService(store, _clock);
        var period = OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1);
        using (var scope = new TransactionScope(TransactionScopeOption.Required, new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted }, TransactionScopeAsyncFlowOption.Enabled))
        {
            await using (var connection = await source.OpenConnectionAsync())
            {
                await using var insert = new NpgsqlCommand("INSERT INTO host_audit (id, what) VALUES (gen_random_uuid(), 'period planned')", connection);
                await insert.ExecuteNonQueryAsync();
            }

            await okr.Periods.CreateAsync(_tenant, period);
            await okr.Periods.ActivateAsync(_tenant, period.Id);
            if (complete)
            {
                scope.Complete();
            }
        }

        Assert.Equal(complete ? PeriodState.Active : null, (await store.GetPeriodAsync(_tenant, period.Id))?.State);
        Assert.Equal(complete ? 1L : 0L, await CountAsync(database, "SELECT count(*) FROM host_audit"));
    }

    private static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(sql, connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await ExecuteAsync(connection, null, sql);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
