using Npgsql;

namespace Okr.Storage.PostgreSql;

/// <summary>
/// The versioned schema. Migrations run inside one transaction that first takes a transaction-level
/// advisory lock, so any number of application instances may start at once: one migrates, the
/// others wait and then find nothing to do.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>An arbitrary, fixed advisory lock key for Okr.Core's migrations.</summary>
    private const long MigrationLock = 0x4F4B_525F_5343_4845;

    // The tenant leads every primary key and index, so a distributed PostgreSQL (Citus and the like)
    // can shard every table by tenant and keep each tenant's rows together.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE okr_periods (
            tenant uuid NOT NULL, id uuid NOT NULL, name text NOT NULL,
            start_date date NOT NULL, end_date date NOT NULL, state smallint NOT NULL, reopen_reason text,
            PRIMARY KEY (tenant, id));
        CREATE INDEX ix_okr_periods_start ON okr_periods (tenant, start_date, id);

        CREATE TABLE okr_objectives (
            tenant uuid NOT NULL, id uuid NOT NULL, period_id uuid NOT NULL,
            owner_kind smallint NOT NULL, owner_id text NOT NULL, state smallint NOT NULL,
            version bigint NOT NULL, body text NOT NULL,
            PRIMARY KEY (tenant, id));
        CREATE INDEX ix_okr_objectives_period ON okr_objectives (tenant, period_id, id);
        CREATE INDEX ix_okr_objectives_owner ON okr_objectives (tenant, owner_kind, owner_id, id);
        CREATE INDEX ix_okr_objectives_state ON okr_objectives (tenant, state, id);

        CREATE TABLE okr_key_results (
            tenant uuid NOT NULL, id uuid NOT NULL, objective_id uuid NOT NULL,
            PRIMARY KEY (tenant, id));
        CREATE INDEX ix_okr_key_results_objective ON okr_key_results (tenant, objective_id);

        CREATE TABLE okr_check_ins (
            tenant uuid NOT NULL, id uuid NOT NULL, kr_id uuid NOT NULL, value numeric NOT NULL,
            author_kind smallint NOT NULL, author_id text NOT NULL,
            effective_at bigint NOT NULL, recorded_at bigint NOT NULL,
            confidence double precision, note text NOT NULL, corrects uuid,
            PRIMARY KEY (tenant, id));
        CREATE INDEX ix_okr_check_ins_history ON okr_check_ins (tenant, kr_id, effective_at, recorded_at, id);
        CREATE INDEX ix_okr_check_ins_corrects ON okr_check_ins (tenant, corrects) WHERE corrects IS NOT NULL;
        """,

        // 2: the audit trail. Every version of an objective that a write replaces, in the order replaced.
        """
        CREATE TABLE okr_objective_history (
            tenant uuid NOT NULL, id uuid NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY,
            version bigint NOT NULL, body text NOT NULL,
            PRIMARY KEY (tenant, id, seq));
        """,

        // 3: who changed a period and when, and every version of a period that a save replaces.
        """
        ALTER TABLE okr_periods ADD COLUMN updated_by_kind smallint, ADD COLUMN updated_by_id text, ADD COLUMN updated_at bigint;
        CREATE TABLE okr_period_history (
            tenant uuid NOT NULL, id uuid NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY,
            name text NOT NULL, start_date date NOT NULL, end_date date NOT NULL, state smallint NOT NULL, reopen_reason text,
            updated_by_kind smallint, updated_by_id text, updated_at bigint,
            PRIMARY KEY (tenant, id, seq));
        """,

        // 4: periods are versioned like objectives (optimistic concurrency for their life cycle); the audit trail keeps
        // each version's number (periods stored before carry version 1, as if written once). The corrections index gains
        // kr_id and recorded_at, as SQLite's did in its version 4: the as-of read asks by tenant, check-in and key result.
        """
        ALTER TABLE okr_periods ADD COLUMN version bigint NOT NULL DEFAULT 1;
        ALTER TABLE okr_period_history ADD COLUMN version bigint NOT NULL DEFAULT 1;
        DROP INDEX ix_okr_check_ins_corrects;
        CREATE INDEX ix_okr_check_ins_corrects ON okr_check_ins (tenant, corrects, kr_id, recorded_at) WHERE corrects IS NOT NULL;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        await Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock});", cancellationToken).ConfigureAwait(false);
        await Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS okr_schema (version integer NOT NULL); INSERT INTO okr_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM okr_schema);", cancellationToken).ConfigureAwait(false);
        int version;
        var read = new NpgsqlCommand("SELECT version FROM okr_schema;", connection, transaction);
        await using (read.ConfigureAwait(false))
        {
            version = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (version > CurrentVersion)
        {
            throw new InvalidOperationException($"The database is at schema version {version}, newer than this version of Okr.Storage.PostgreSql knows ({CurrentVersion}). Upgrade the package.");
        }

        for (var v = version; v < CurrentVersion; v++)
        {
            await Execute(connection, transaction, Migrations[v] + $"\nUPDATE okr_schema SET version = {v + 1};", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using var commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
