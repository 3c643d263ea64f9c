using Npgsql;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// Migrations a DBA can run: the script, a role without DDL rights, automatic migration off, and a database at an
/// older version failing fast with the version and the script to run.
/// </summary>
public class MigrationScriptTests
{
    [PostgresFact]
    public async Task A_database_made_by_the_script_serves_an_application_role_without_DDL_rights()
    {
        var admin = TestDatabase.CreateDatabase();
        await ExecuteAsync(admin, PostgreSqlOkrStore.MigrationScript());

        // The application's role may read and write rows, nothing more (PostgreSQL 15 gives PUBLIC no CREATE on public).
        var database = new NpgsqlConnectionStringBuilder(admin).Database!;
        var role = "okr_app_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"""
            CREATE ROLE {role} LOGIN;
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT CONNECT ON DATABASE {database} TO {role};
            GRANT USAGE ON SCHEMA public TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            """);
        var app = new NpgsqlConnectionStringBuilder(admin) { Username = role, Pooling = false }.ToString();

        await using (var store = new PostgreSqlOkrStore(new PostgreSqlOkrStoreOptions { ConnectionString = app, AutoMigrate = false }))
        {
            var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
            var okr = new OkrService(store, clock);
            var tenant = new TenantId(Guid.NewGuid());
            var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
            await okr.Periods.ActivateAsync(tenant, quarter.Id);
            var krs = Enumerable.Range(0, 3).Select(i => new KeyResult(KeyResultId.New(clock), $"KR {i}", new IncreaseMeasure(0, 100))).ToList();
            var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Grow", OwnerRef.Team("t"), clock, keyResults: krs));
            await okr.Objectives.ActivateAsync(tenant, objective.Id);
            await okr.CheckIns.RecordAsync(tenant, krs[0].Id, 60, OwnerRef.Person("p"));
            Assert.Equal(0.2, (await okr.Progress.SummarizeAsync(tenant, quarter.Id)).Score!.Value, 12);
            Assert.True((await store.CheckHealthAsync()).IsHealthy);
        }

        // The same role against an empty database with automatic migration on: it may not create the tables.
        var empty = new NpgsqlConnectionStringBuilder(TestDatabase.CreateDatabase()) { Username = role, Pooling = false }.ToString();
        await ExecuteAsync(new NpgsqlConnectionStringBuilder(empty) { Username = "postgres" }.ToString(), $"REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT CONNECT ON DATABASE {new NpgsqlConnectionStringBuilder(empty).Database} TO {role};");
        await using var migrating = new PostgreSqlOkrStore(new PostgreSqlOkrStoreOptions { ConnectionString = empty });
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => migrating.InitializeAsync())).SqlState);

        // Run twice, the script stops at its guard and changes nothing.
        var again = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(admin, PostgreSqlOkrStore.MigrationScript()));
        Assert.Contains($"okr_schema is at version {PostgreSqlOkrStore.SchemaVersion}; this script migrates from version 0", again.MessageText, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task With_automatic_migration_off_an_older_database_fails_fast_until_its_script_has_run()
    {
        var admin = TestDatabase.CreateDatabase();
        var older = PostgreSqlOkrStore.SchemaVersion - 1;
        await ExecuteAsync(admin, PostgreSqlSchema.Script(0, older));
        await using var store = new PostgreSqlOkrStore(new PostgreSqlOkrStoreOptions { ConnectionString = admin, AutoMigrate = false });
        var tenant = new TenantId(Guid.NewGuid());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());
        Assert.Equal(
            $"The database is at schema version {older}; this version of Okr.Storage.PostgreSql needs version {PostgreSqlOkrStore.SchemaVersion}, and automatic migration is off (AutoMigrate = false). Run PostgreSqlOkrStore.MigrationScript({older}) as a role that may create tables, or call MigrateAsync.",
            error.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.GetPeriodAsync(tenant, new PeriodId(Guid.NewGuid())));
        Assert.False((await store.CheckHealthAsync()).IsHealthy);

        // The DBA runs the rest; the same store instance works without a restart.
        await ExecuteAsync(admin, PostgreSqlOkrStore.MigrationScript(older));
        await store.InitializeAsync();
        Assert.Null(await store.GetPeriodAsync(tenant, new PeriodId(Guid.NewGuid())));
        Assert.True((await store.CheckHealthAsync()).IsHealthy);
    }

    [PostgresFact]
    public async Task The_script_builds_the_schema_the_store_builds_and_MigrateAsync_migrates_whatever_the_option()
    {
        var scripted = TestDatabase.CreateDatabase();
        await ExecuteAsync(scripted, PostgreSqlOkrStore.MigrationScript());
        var migrated = TestDatabase.CreateDatabase();
        await using (var store = new PostgreSqlOkrStore(new PostgreSqlOkrStoreOptions { ConnectionString = migrated, AutoMigrate = false }))
        {
            await store.MigrateAsync();
            await store.InitializeAsync();
        }

        Assert.Equal(await CatalogAsync(migrated), await CatalogAsync(scripted));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostgreSqlOkrStore.MigrationScript(PostgreSqlOkrStore.SchemaVersion + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostgreSqlOkrStore.MigrationScript(-1));
    }

    /// <summary>docs/sql/postgresql-schema.sql is what <see cref="PostgreSqlOkrStore.MigrationScript"/> returns, so a DBA reviews what runs.</summary>
    [Fact]
    public void The_script_in_docs_sql_is_the_one_the_code_returns()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Okr.Core.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Okr.Core.sln not found above the test's folder.");
        }

        var file = Path.Combine(root, "docs", "sql", "postgresql-schema.sql");
        if (Environment.GetEnvironmentVariable("OKR_WRITE_SQL") == "1")
        {
            File.WriteAllText(file, PostgreSqlOkrStore.MigrationScript());
        }

        Assert.Equal(PostgreSqlOkrStore.MigrationScript(), File.ReadAllText(file).ReplaceLineEndings("\n"));
    }

    /// <summary>Every column (with its type and nullability) and index of the database's public schema, and its version.</summary>
    private static async Task<List<string>> CatalogAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("""
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT 'version ' || version FROM okr_schema
            ORDER BY 1
            """, connection);
        var rows = new List<string>();
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        Assert.True(rows.Count > 50, $"Only {rows.Count} catalog rows.");
        return rows;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
