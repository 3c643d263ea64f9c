using Microsoft.EntityFrameworkCore;

namespace Okr.Storage.EntityFrameworkCore.Tests;

/// <summary>A host's own context, as an HR system has one: its employees, and the OKR tables mapped beside them.</summary>
public sealed class HostContext(DbContextOptions<HostContext> options) : DbContext(options)
{
    public DbSet<Employee> Employees => Set<Employee>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Employee>().ToTable("employees");
        modelBuilder.AddOkr();
    }
}

/// <summary>The host's own entity.</summary>
public sealed class Employee
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}

/// <summary>Makes contexts over fixed options, as <c>AddDbContextFactory</c> would.</summary>
public sealed class HostContextFactory(DbContextOptions<HostContext> options) : IDbContextFactory<HostContext>
{
    public HostContext CreateDbContext() => new(options);
}

/// <summary>The two databases the EF Core store is tested on, each created by the model (as the host's migrations would).</summary>
internal static class Databases
{
    public const string PostgresVariable = "OKR_TEST_POSTGRES";

    private static readonly string Folder = CreateFolder();

    /// <summary>Why the PostgreSQL tests cannot run, or null when a server is configured.</summary>
    public static string? PostgresSkipReason =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable))
            ? $"No PostgreSQL server configured: set {PostgresVariable} to a connection string, or run ./test.sh, which starts one."
            : null;

    /// <summary>Options for a new SQLite database file with the host's model created in it.</summary>
    public static DbContextOptions<HostContext> NewSqlite()
    {
        var options = new DbContextOptionsBuilder<HostContext>().UseSqlite($"Data Source={Path.Combine(Folder, Guid.NewGuid().ToString("N"))}.db").Options;
        using var db = new HostContext(options);
        db.Database.EnsureCreated();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
        return options;
    }

    private static readonly Lazy<DbContextOptions<HostContext>> SharedPostgres = new(NewPostgres);

    /// <summary>One PostgreSQL database for the run, created once; tests keep apart by tenant.</summary>
    public static DbContextOptions<HostContext> Postgres => SharedPostgres.Value;

    /// <summary>Options for a new PostgreSQL database with the host's model created in it.</summary>
    public static DbContextOptions<HostContext> NewPostgres()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable) ?? throw new InvalidOperationException(PostgresSkipReason);
        var name = "okr_ef_" + Guid.NewGuid().ToString("N");
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 50 }.ToString();
        var options = new DbContextOptionsBuilder<HostContext>().UseNpgsql(connection).Options;
        using var db = new HostContext(options);
        db.Database.EnsureCreated();
        return options;
    }

    private static string CreateFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "okr-ef-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the OS cleans the temp folder eventually.
            }
        };
        return folder;
    }
}
