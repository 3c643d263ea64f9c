using Okr.Core;

namespace Okr.Storage.PostgreSql;

/// <summary>Settings of <see cref="PostgreSqlOkrStore"/>.</summary>
public sealed class PostgreSqlOkrStoreOptions
{
    /// <summary>The Npgsql connection string, for example <c>Host=db;Database=okr;Username=okr;Password=…</c>. Pooling is on by default.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Batches of at least this many check-ins are written with binary COPY; smaller ones with INSERT. 32 by default.</summary>
    public int CopyThreshold { get; set; } = 32;

    /// <summary>
    /// After an import, or a commit, that writes at least this many rows to a table, the store runs <c>ANALYZE</c> on the
    /// tables it wrote once the transaction has committed, when they were never analysed, the write added a tenth or
    /// more of their rows, or the write was the tenant's first import, so the planner never plans a tenant's first
    /// reads with no statistics (autovacuum would only catch up a minute or more later). 1,000 by default; null never
    /// analyzes.
    /// </summary>
    public int? AnalyzeThreshold { get; set; } = 1000;

    /// <summary>
    /// Whether the store creates or migrates its schema on first use (true, the default), which needs a role that may
    /// create tables. False: the store only checks that the database is at <see cref="PostgreSqlOkrStore.SchemaVersion"/>
    /// and fails fast naming the version it found and the script to run (<see cref="PostgreSqlOkrStore.MigrationScript"/>);
    /// the application's role then needs only SELECT, INSERT, UPDATE and DELETE.
    /// </summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="OkrValidationException">The connection string is missing or malformed, or a threshold is below 1.</exception>
    public void Validate()
    {
        var violations = new List<OkrViolation>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            violations.Add(new OkrViolation(OkrErrorCodes.Required, nameof(ConnectionString), "ConnectionString is required, for example \"Host=localhost;Database=okr;Username=okr\"."));
        }
        else
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            }
            catch (ArgumentException ex)
            {
                violations.Add(new OkrViolation(OkrErrorCodes.Required, nameof(ConnectionString), $"ConnectionString is malformed: {ex.Message}"));
            }
        }

        if (CopyThreshold < 1)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.OutOfRange, nameof(CopyThreshold), $"CopyThreshold must be at least 1; it is {CopyThreshold}."));
        }

        if (AnalyzeThreshold < 1)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.OutOfRange, nameof(AnalyzeThreshold), $"AnalyzeThreshold must be at least 1 (or null for never); it is {AnalyzeThreshold}."));
        }

        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }
    }
}
