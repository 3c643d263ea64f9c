using Microsoft.Data.Sqlite;

namespace Okr.Storage.Sqlite;

/// <summary>
/// The versioned schema. Each migration runs once, in order, inside the transaction that records
/// it; a database at a newer version than this library knows is refused rather than misread.
/// </summary>
internal static class SqliteSchema
{
    // Every key starts with the tenant; every query the store runs has an index that serves it.
    // One list of migrations for both SQL stores, this dialect's DDL of each (src/Shared/OkrSchemaMigrations.cs).
    private static readonly string[] Migrations = [.. Okr.Storage.Relational.OkrSchemaMigrations.All.Select(m => m.Sqlite)];

    private const string CreateVersionTable = "CREATE TABLE IF NOT EXISTS okr_schema (version INTEGER NOT NULL); INSERT INTO okr_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM okr_schema);";

    /// <summary>The schema version this library writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// The migrations from <paramref name="from"/> to <paramref name="to"/> as one script (for the sqlite3 shell or any
    /// client): one transaction with a guard that fails on a database at another version (a CHECK constraint, as SQLite
    /// has no procedural code), each migration with why it exists, the version after each, then WAL mode.
    /// </summary>
    public static string Script(int from, int to)
    {
        var script = new System.Text.StringBuilder();
        script.Append(System.Globalization.CultureInfo.InvariantCulture, $"""
            -- Okr.Storage.Sqlite schema: version {from} to {to}. In the sqlite3 shell, run ".bail on" first so an error stops it.
            BEGIN IMMEDIATE;
            {CreateVersionTable}
            CREATE TEMP TABLE okr_schema_guard (version INTEGER CHECK (version = {from}));
            INSERT INTO okr_schema_guard (version) SELECT version FROM okr_schema;
            DROP TABLE okr_schema_guard;

            """);
        for (var v = from; v < to; v++)
        {
            script.Append("-- ").Append(Okr.Storage.Relational.OkrSchemaMigrations.All[v].Why.ReplaceLineEndings(" ")).Append('\n');
            script.Append(Migrations[v].Trim()).Append('\n');
            script.Append(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE okr_schema SET version = {v + 1};\n\n");
        }

        // Last: it returns a row, and a client that runs the script as one batch (Microsoft.Data.Sqlite) would not report
        // an error of a statement after one that returned rows. Outside the transaction, as SQLite requires.
        return script.Append("COMMIT;\nPRAGMA journal_mode = WAL;\n").ToString();
    }

    /// <summary>Fails unless the database is at <see cref="CurrentVersion"/>, saying what to run; changes nothing.</summary>
    public static void RequireCurrent(SqliteConnection connection)
    {
        var version = 0;
        using (var exists = connection.CreateCommand())
        {
            // Two statements: SQLite refuses to prepare a query that names a missing table, whatever its CASE says.
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'okr_schema'";
            if (Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                using var read = connection.CreateCommand();
                read.CommandText = "SELECT coalesce(max(version), 0) FROM okr_schema";
                version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (version != CurrentVersion)
        {
            throw new InvalidOperationException(version > CurrentVersion
                ? $"The database is at schema version {version}, newer than this version of Okr.Storage.Sqlite knows ({CurrentVersion}). Upgrade the package."
                : $"The database is at schema version {version}; this version of Okr.Storage.Sqlite needs version {CurrentVersion}, and automatic migration is off (AutoMigrate = false). Run SqliteOkrStore.MigrationScript({version}), or call MigrateAsync.");
        }
    }

    public static void Migrate(SqliteConnection connection)
    {
        using (var wal = connection.CreateCommand())
        {
            // WAL lets readers work while one writer commits; the setting is stored in the file.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = CreateVersionTable;
            create.ExecuteNonQuery();
        }

        long version;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT version FROM okr_schema;";
            version = (long)read.ExecuteScalar()!;
        }

        if (version > CurrentVersion)
        {
            throw new InvalidOperationException($"The database is at schema version {version}, newer than this version of Okr.Storage.Sqlite knows ({CurrentVersion}). Upgrade the package.");
        }

        for (var v = (int)version; v < CurrentVersion; v++)
        {
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[v] + $"\nUPDATE okr_schema SET version = {v + 1};";
            migrate.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
