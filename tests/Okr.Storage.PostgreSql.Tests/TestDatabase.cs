using Npgsql;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests use: the connection string in <c>OKR_TEST_POSTGRES</c>, which
/// <c>./test.sh</c> sets after starting a throwaway cluster. Each test run gets fresh databases.
/// </summary>
internal static class TestDatabase
{
    public const string Variable = "OKR_TEST_POSTGRES";

    private static readonly Lazy<string> SharedDatabase = new(CreateDatabase);
    private static readonly Lazy<PostgreSqlOkrStore> Shared = new(() => new PostgreSqlOkrStore(SharedDatabase.Value));

    /// <summary>The connection string of the database <see cref="Store"/> uses.</summary>
    public static string SharedConnectionString => SharedDatabase.Value;

    /// <summary>Why the tests cannot run, or null when a server is configured.</summary>
    public static string? SkipReason =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable))
            ? $"No PostgreSQL server configured: set {Variable} to a connection string, or run ./test.sh, which starts one."
            : null;

    /// <summary>One store on one database for the whole run; tests keep apart by tenant.</summary>
    public static PostgreSqlOkrStore Store => Shared.Value;

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public static string CreateDatabase()
    {
        var server = Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException(SkipReason);
        var name = "okr_test_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 50 }.ToString();
    }
}

/// <summary>A fact that is skipped, with the reason, when no PostgreSQL server is configured.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestDatabase.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>An FsCheck property that is skipped, with the reason, when no PostgreSQL server is configured.</summary>
public sealed class PostgresPropertyAttribute : FsCheck.Xunit.PropertyAttribute
{
    public PostgresPropertyAttribute()
    {
        if (TestDatabase.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that is skipped, with the reason, when no PostgreSQL server is configured.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (TestDatabase.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
