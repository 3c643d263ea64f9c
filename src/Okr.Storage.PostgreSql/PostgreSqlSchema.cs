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

    // One list of migrations for both SQL stores, this dialect's DDL of each (src/Shared/OkrSchemaMigrations.cs).
    private static readonly string[] Migrations = [.. Okr.Storage.Relational.OkrSchemaMigrations.All.Select(m => m.PostgreSql)];

    private const string CreateVersionTable = "CREATE TABLE IF NOT EXISTS okr_schema (version integer NOT NULL); INSERT INTO okr_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM okr_schema);";

    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// The migrations from <paramref name="from"/> to <paramref name="to"/> as one script a DBA can read and run (psql or
    /// any client): one transaction, the same advisory lock the store takes, a guard that stops it on a database at
    /// another version, each migration with why it exists, and the version recorded after each.
    /// </summary>
    public static string Script(int from, int to)
    {
        var script = new System.Text.StringBuilder();
        script.Append(System.Globalization.CultureInfo.InvariantCulture, $"""
            -- Okr.Storage.PostgreSql schema: version {from} to {to}. Run it as a role that may create tables; the
            -- application's role then needs only SELECT, INSERT, UPDATE and DELETE (PostgreSqlOkrStoreOptions.AutoMigrate = false).
            BEGIN;
            SELECT pg_advisory_xact_lock({MigrationLock});
            {CreateVersionTable}
            DO $guard$ BEGIN
              IF (SELECT version FROM okr_schema) <> {from} THEN
                RAISE EXCEPTION 'okr_schema is at version %; this script migrates from version {from}', (SELECT version FROM okr_schema);
              END IF;
            END $guard$;

            """);
        for (var v = from; v < to; v++)
        {
            script.Append("-- ").Append(Okr.Storage.Relational.OkrSchemaMigrations.All[v].Why.ReplaceLineEndings(" ")).Append('\n');
            script.Append(Migrations[v].Trim()).Append('\n');
            script.Append(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE okr_schema SET version = {v + 1};\n\n");
        }

        return script.Append("COMMIT;\n").ToString();
    }

    /// <summary>
    /// The database's schema version without changing anything (0 when the version table does not exist); used when
    /// automatic migration is off, to fail fast naming what is missing.
    /// </summary>
    public static async Task<int> ReadVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        using var suppress = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeOption.Suppress, System.Transactions.TransactionScopeAsyncFlowOption.Enabled);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var read = new NpgsqlCommand("SELECT CASE WHEN to_regclass('okr_schema') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM okr_schema) END", connection);
        await using var readScope = read.ConfigureAwait(false);
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Fails unless the database is at <see cref="CurrentVersion"/>, saying what to run.</summary>
    public static async Task RequireCurrentAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var version = await ReadVersionAsync(dataSource, cancellationToken).ConfigureAwait(false);
        if (version != CurrentVersion)
        {
            throw new InvalidOperationException(version > CurrentVersion
                ? $"The database is at schema version {version}, newer than this version of Okr.Storage.PostgreSql knows ({CurrentVersion}). Upgrade the package."
                : $"The database is at schema version {version}; this version of Okr.Storage.PostgreSql needs version {CurrentVersion}, and automatic migration is off (AutoMigrate = false). Run PostgreSqlOkrStore.MigrationScript({version}) as a role that may create tables, or call MigrateAsync.");
        }
    }

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // Never inside a host's TransactionScope: the schema is the store's own business, committed on its own.
        using var suppress = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeOption.Suppress, System.Transactions.TransactionScopeAsyncFlowOption.Enabled);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        await Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock});", cancellationToken).ConfigureAwait(false);
        await Execute(connection, transaction, CreateVersionTable, cancellationToken).ConfigureAwait(false);
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
