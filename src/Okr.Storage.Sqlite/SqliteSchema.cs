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

    /// <summary>The schema version this library writes.</summary>
    public static int CurrentVersion => Migrations.Length;

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
            create.CommandText = "CREATE TABLE IF NOT EXISTS okr_schema (version INTEGER NOT NULL); INSERT INTO okr_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM okr_schema);";
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
