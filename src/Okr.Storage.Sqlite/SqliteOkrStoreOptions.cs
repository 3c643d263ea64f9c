namespace Okr.Storage.Sqlite;

/// <summary>Settings of <see cref="SqliteOkrStore"/>.</summary>
public sealed class SqliteOkrStoreOptions
{
    /// <summary>
    /// The Microsoft.Data.Sqlite connection string, for example <c>Data Source=okr.db</c>. The file is
    /// created when missing. In-memory databases are not supported: use <c>InMemoryOkrStore</c> instead.
    /// </summary>
    public string ConnectionString { get; set; } = "Data Source=okr.db";

    /// <summary>
    /// After an import, or a commit, that writes at least this many rows to a table, the store runs
    /// <c>PRAGMA optimize</c> once the transaction has committed, so the query planner has statistics for a tenant's
    /// first reads. 1,000 by default; null never runs it.
    /// </summary>
    public int? AnalyzeThreshold { get; set; } = 1000;

    /// <summary>
    /// Whether the store creates or migrates its schema on first use (true, the default). False: it only checks that the
    /// file is at <see cref="SqliteOkrStore.SchemaVersion"/> and fails fast naming the version it found and the script to
    /// run (<see cref="SqliteOkrStore.MigrationScript"/>), or <see cref="SqliteOkrStore.MigrateAsync"/> migrates explicitly.
    /// </summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="Okr.Core.OkrValidationException">The connection string is missing, malformed, or names an in-memory database; or the threshold is below 1.</exception>
    public void Validate()
    {
        var violations = new List<Okr.Core.OkrViolation>();
        if (AnalyzeThreshold < 1)
        {
            violations.Add(new Okr.Core.OkrViolation(Okr.Core.OkrErrorCodes.OutOfRange, nameof(AnalyzeThreshold), $"AnalyzeThreshold must be at least 1 (or null for never); it is {AnalyzeThreshold}."));
        }

        string? problem = null;
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problem = "ConnectionString is required, for example \"Data Source=okr.db\".";
        }
        else
        {
            try
            {
                var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
                {
                    problem = "ConnectionString must name a database file (Data Source=path); for an in-memory store use InMemoryOkrStore.";
                }
            }
            catch (ArgumentException ex)
            {
                problem = $"ConnectionString is malformed: {ex.Message}";
            }
        }

        if (problem is not null)
        {
            violations.Add(new Okr.Core.OkrViolation(Okr.Core.OkrErrorCodes.Required, nameof(ConnectionString), problem));
        }

        if (violations.Count > 0)
        {
            throw new Okr.Core.OkrValidationException(violations);
        }
    }
}
