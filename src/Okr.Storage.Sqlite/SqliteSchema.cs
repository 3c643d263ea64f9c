using Microsoft.Data.Sqlite;

namespace Okr.Storage.Sqlite;

/// <summary>
/// The versioned schema. Each migration runs once, in order, inside the transaction that records
/// it; a database at a newer version than this library knows is refused rather than misread.
/// </summary>
internal static class SqliteSchema
{
    // Every key starts with the tenant; every query the store runs has an index that serves it.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE periods (
            tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
            start_date TEXT NOT NULL, end_date TEXT NOT NULL, state INTEGER NOT NULL, reopen_reason TEXT,
            PRIMARY KEY (tenant, id)) WITHOUT ROWID;
        CREATE INDEX ix_periods_start ON periods (tenant, start_date, id);

        CREATE TABLE objectives (
            tenant TEXT NOT NULL, id TEXT NOT NULL, period_id TEXT NOT NULL,
            owner_kind INTEGER NOT NULL, owner_id TEXT NOT NULL, state INTEGER NOT NULL,
            version INTEGER NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY (tenant, id)) WITHOUT ROWID;
        CREATE INDEX ix_objectives_period ON objectives (tenant, period_id, id);
        CREATE INDEX ix_objectives_owner ON objectives (tenant, owner_kind, owner_id, id);
        CREATE INDEX ix_objectives_state ON objectives (tenant, state, id);

        CREATE TABLE key_results (
            tenant TEXT NOT NULL, id TEXT NOT NULL, objective_id TEXT NOT NULL,
            PRIMARY KEY (tenant, id)) WITHOUT ROWID;
        CREATE INDEX ix_key_results_objective ON key_results (tenant, objective_id);

        CREATE TABLE check_ins (
            tenant TEXT NOT NULL, id TEXT NOT NULL, kr_id TEXT NOT NULL, value TEXT NOT NULL,
            author_kind INTEGER NOT NULL, author_id TEXT NOT NULL,
            effective_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL,
            confidence REAL, note TEXT NOT NULL, corrects TEXT,
            PRIMARY KEY (tenant, id)) WITHOUT ROWID;
        CREATE INDEX ix_check_ins_history ON check_ins (tenant, kr_id, effective_at, recorded_at, id);
        CREATE INDEX ix_check_ins_corrects ON check_ins (tenant, corrects) WHERE corrects IS NOT NULL;
        """,

        // 2: the audit trail. Every version of an objective that a write replaces, in the order replaced.
        """
        CREATE TABLE objective_history (
            seq INTEGER PRIMARY KEY, tenant TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE INDEX ix_objective_history ON objective_history (tenant, id, seq);
        """,

        // 3: who changed a period and when, and every version of a period that a save replaces.
        """
        ALTER TABLE periods ADD COLUMN updated_by_kind INTEGER;
        ALTER TABLE periods ADD COLUMN updated_by_id TEXT;
        ALTER TABLE periods ADD COLUMN updated_at INTEGER;
        CREATE TABLE period_history (
            seq INTEGER PRIMARY KEY, tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
            start_date TEXT NOT NULL, end_date TEXT NOT NULL, state INTEGER NOT NULL, reopen_reason TEXT,
            updated_by_kind INTEGER, updated_by_id TEXT, updated_at INTEGER);
        CREATE INDEX ix_period_history ON period_history (tenant, id, seq);
        """,

        // 4: the as-of read asks "is this check-in corrected?" by tenant, check-in and key result (and when the
        // correction was recorded). Without kr_id and recorded_at in the index, the planner scanned the tenant's
        // check-ins once per candidate row: a 1 000-key-result read of 4 000 check-ins took over a second.
        """
        DROP INDEX ix_check_ins_corrects;
        CREATE INDEX ix_check_ins_corrects ON check_ins (tenant, corrects, kr_id, recorded_at) WHERE corrects IS NOT NULL;
        """,

        // 5: periods are versioned like objectives (optimistic concurrency for their life cycle); the audit trail
        // keeps each version's number. Periods stored before carry version 1, as if written once.
        """
        ALTER TABLE periods ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE period_history ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        """,
    ];

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
