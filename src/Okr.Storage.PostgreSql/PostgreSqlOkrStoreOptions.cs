using Okr.Core;

namespace Okr.Storage.PostgreSql;

/// <summary>Settings of <see cref="PostgreSqlOkrStore"/>.</summary>
public sealed class PostgreSqlOkrStoreOptions
{
    /// <summary>The Npgsql connection string, for example <c>Host=db;Database=okr;Username=okr;Password=…</c>. Pooling is on by default.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Batches of at least this many check-ins are written with binary COPY; smaller ones with INSERT. 32 by default.</summary>
    public int CopyThreshold { get; set; } = 32;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="OkrValidationException">The connection string is missing or malformed, or the threshold is below 1.</exception>
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

        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }
    }
}
