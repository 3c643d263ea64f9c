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
