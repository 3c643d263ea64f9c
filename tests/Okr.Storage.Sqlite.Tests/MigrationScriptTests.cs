using Microsoft.Data.Sqlite;
using Okr.Core;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>The migration script of the SQLite store, automatic migration off, and an older file failing fast.</summary>
public class MigrationScriptTests
{
    private static string NewFile() => Path.Combine(Path.GetTempPath(), $"okr-script-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_file_made_by_the_script_is_the_file_the_store_makes_and_serves_a_store_that_never_migrates()
    {
        var scripted = NewFile();
        Execute(scripted, SqliteOkrStore.MigrationScript());
        var migrated = NewFile();
        using (var store = new SqliteOkrStore(new SqliteOkrStoreOptions { ConnectionString = $"Data Source={migrated}", AutoMigrate = false }))
        {
            await store.MigrateAsync();
        }

        Assert.Equal(Catalog(migrated), Catalog(scripted));

        using var serving = new SqliteOkrStore(new SqliteOkrStoreOptions { ConnectionString = $"Data Source={scripted}", AutoMigrate = false });
        var tenant = new TenantId(Guid.NewGuid());
        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);
        await serving.ImportAsync(tenant, new Okr.Core.Serialization.OkrDocument(tenant, [period], [], []));
        Assert.Equal(period.Id, (await serving.GetPeriodAsync(tenant, period.Id))?.Id);

        // Run twice, the script stops at its guard.
        Assert.Equal(19, Assert.Throws<SqliteException>(() => Execute(scripted, SqliteOkrStore.MigrationScript())).SqliteErrorCode);   // SQLITE_CONSTRAINT
    }

    [Fact]
    public async Task With_automatic_migration_off_an_older_file_fails_fast_until_its_script_has_run()
    {
        var file = NewFile();
        var older = SqliteOkrStore.SchemaVersion - 1;
        Execute(file, SqliteSchema.Script(0, older));
        using var store = new SqliteOkrStore(new SqliteOkrStoreOptions { ConnectionString = $"Data Source={file}", AutoMigrate = false });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());
        Assert.Equal(
            $"The database is at schema version {older}; this version of Okr.Storage.Sqlite needs version {SqliteOkrStore.SchemaVersion}, and automatic migration is off (AutoMigrate = false). Run SqliteOkrStore.MigrationScript({older}), or call MigrateAsync.",
            error.Message);
        Assert.False((await store.CheckHealthAsync()).IsHealthy);

        Execute(file, SqliteOkrStore.MigrationScript(older));
        await store.InitializeAsync();
        Assert.True((await store.CheckHealthAsync()).IsHealthy);

        // A new file with automatic migration off: version 0, the whole script named.
        using var blank = new SqliteOkrStore(new SqliteOkrStoreOptions { ConnectionString = $"Data Source={NewFile()}", AutoMigrate = false });
        Assert.Contains("schema version 0;", (await Assert.ThrowsAsync<InvalidOperationException>(() => blank.InitializeAsync())).Message, StringComparison.Ordinal);
    }

    /// <summary>docs/sql/sqlite-schema.sql is what <see cref="SqliteOkrStore.MigrationScript"/> returns, so a DBA reviews what runs.</summary>
    [Fact]
    public void The_script_in_docs_sql_is_the_one_the_code_returns()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Okr.Core.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Okr.Core.sln not found above the test's folder.");
        }

        var file = Path.Combine(root, "docs", "sql", "sqlite-schema.sql");
        if (Environment.GetEnvironmentVariable("OKR_WRITE_SQL") == "1")
        {
            File.WriteAllText(file, SqliteOkrStore.MigrationScript());
        }

        Assert.Equal(SqliteOkrStore.MigrationScript(), File.ReadAllText(file).ReplaceLineEndings("\n"));
    }

    private static List<string> Catalog(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master UNION ALL SELECT 'version ' || version FROM okr_schema UNION ALL SELECT 'journal ' || journal_mode FROM pragma_journal_mode ORDER BY 1";
        using var reader = read.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        Assert.True(rows.Count > 20, $"Only {rows.Count} catalog rows.");
        return rows;
    }

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
