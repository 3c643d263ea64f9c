using Npgsql;
using Okr.Core;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>A store whose first use failed (the database was not there yet) starts again on the next call.</summary>
public class StartRetryTests
{
    [PostgresFact]
    public async Task A_failed_first_migration_is_retried_on_the_next_call_not_cached()
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.SharedConnectionString);
        var name = "okr_test_" + Guid.NewGuid().ToString("N");
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = false }.ToString();
        using var store = new PostgreSqlOkrStore(connectionString);
        var tenant = new TenantId(Guid.NewGuid());

        // The database does not exist yet: the first use fails, and so does a second one while it is still missing.
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, (await Assert.ThrowsAsync<PostgresException>(() => store.InitializeAsync())).SqlState);
        await Assert.ThrowsAsync<PostgresException>(async () => await store.GetPeriodAsync(tenant, new PeriodId(Guid.NewGuid())));

        // Once it is there, the same store instance migrates and works.
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);
        await store.ImportAsync(tenant, new Okr.Core.Serialization.OkrDocument(tenant, [period], [], []));
        Assert.Equal(period.Id, (await store.GetPeriodAsync(tenant, period.Id))?.Id);
        await store.InitializeAsync();
    }
}
