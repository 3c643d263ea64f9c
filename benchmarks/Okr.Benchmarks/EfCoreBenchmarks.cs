using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Okr.Core;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Storage.EntityFrameworkCore;
using Okr.Storage.PostgreSql;
using Okr.Storage.Sqlite;

namespace Okr.Benchmarks;

/// <summary>A host's context holding the OKR tables, as <c>modelBuilder.AddOkr()</c> maps them.</summary>
public sealed class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOkr();
}

internal sealed class BenchContextFactory(DbContextOptions<BenchContext> options) : IDbContextFactory<BenchContext>
{
    public BenchContext CreateDbContext() => new(options);
}

/// <summary>A fresh database with the host's model created in it (as its migrations would), for each engine.</summary>
internal static class EfBenchDatabase
{
    public static (DbContextOptions<BenchContext> Options, string ConnectionString) Create(string engine)
    {
        string cs;
        DbContextOptions<BenchContext> options;
        if (engine == "SQLite")
        {
            cs = $"Data Source={Path.Combine(Path.GetTempPath(), $"okr-ef-bench-{Guid.NewGuid():N}.db")}";
            options = new DbContextOptionsBuilder<BenchContext>().UseSqlite(cs).Options;
        }
        else
        {
            using var source = BenchDatabase.Create();
            cs = source.ConnectionString;
            options = new DbContextOptionsBuilder<BenchContext>().UseNpgsql(cs).Options;
        }

        using var db = new BenchContext(options);
        db.Database.EnsureCreated();
        if (engine == "SQLite")
        {
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
        }

        return (options, cs);
    }
}

/// <summary>
/// Issue 17's first target: 10 000 check-ins (500 key results) appended in one batch by the EF Core store, against the
/// raw driver inserting the same rows into the same table of the same database in one transaction (SQLite: a prepared
/// INSERT per row; PostgreSQL: the rows as one batch of prepared INSERTs, one round trip).
/// </summary>
[MemoryDiagnoser]
public class EfCoreBatchAppend
{
    private const int BatchSize = 10_000;
    private readonly TenantId _tenant = new(Guid.CreateVersion7());
    private EntityFrameworkCoreOkrStore<BenchContext> _store = null!;
    private string _connectionString = null!;
    private List<CheckIn> _batch = null!;
    private int _seed;

    [Params("SQLite", "PostgreSQL")]
    public string Engine { get; set; } = "SQLite";

    [GlobalSetup]
    public void Setup()
    {
        var (options, cs) = EfBenchDatabase.Create(Engine);
        _connectionString = cs;
        _store = new EntityFrameworkCoreOkrStore<BenchContext>(new BenchContextFactory(options));
    }

    [GlobalCleanup]
    public void Cleanup() => BenchDatabase.Delete(_connectionString);

    [IterationSetup]
    public void NewBatch() => _batch = CheckInBatches.Make(BatchSize, ++_seed);

    [Benchmark(Baseline = true, Description = "raw driver: the same rows into okr_check_ins, one transaction")]
    public int Raw()
    {
        const string Insert = "INSERT INTO okr_check_ins (tenant, id, kr_id, value, author_kind, author_id, effective_at, recorded_at, confidence, note, corrects) VALUES ({0})";
        if (Engine == "SQLite")
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, string.Join(", ", Enumerable.Range(1, 11).Select(i => $"${i}")));
            var parameters = Enumerable.Range(1, 11).Select(i => insert.Parameters.Add(new SqliteParameter($"${i}", null))).ToArray();
            insert.Prepare();
            foreach (var c in _batch)
            {
                var row = Row(c, upper: true);
                for (var i = 0; i < row.Length; i++)
                {
                    parameters[i].Value = row[i] ?? DBNull.Value;
                }

                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        else
        {
            using var connection = new NpgsqlConnection(_connectionString);
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var batch = new NpgsqlBatch(connection, transaction);
            var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, string.Join(", ", Enumerable.Range(1, 11).Select(i => $"${i}")));
            foreach (var c in _batch)
            {
                var command = new NpgsqlBatchCommand(text);
                foreach (var value in Row(c, upper: false))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
                }

                batch.BatchCommands.Add(command);
            }

            batch.ExecuteNonQuery();
            transaction.Commit();
        }

        return _batch.Count;
    }

    [Benchmark(Description = "EntityFrameworkCoreOkrStore.AppendCheckInsAsync (idempotent, validated, current values kept)")]
    public int Store() => ((IOkrStore)_store).AppendCheckInsAsync(_tenant, _batch).AsTask().GetAwaiter().GetResult();

    /// <summary>The row as the EF Core model stores it: ids as EF Core's provider writes them, the value as exact text.</summary>
    private object?[] Row(CheckIn c, bool upper)
    {
        object Id(Guid g) => upper ? g.ToString().ToUpperInvariant() : g;
        return
        [
            Id(_tenant.Value), Id(c.Id.Value), Id(c.KeyResultId.Value), OkrStoreFormat.FormatDecimal(c.Value), (short)c.Author.Kind, c.Author.ExternalId,
            OkrStoreFormat.ToUnixNanoseconds(c.EffectiveAt), OkrStoreFormat.ToUnixNanoseconds(c.RecordedAt), c.Confidence?.Value, c.Note, c.Corrects is { } x ? Id(x.Value) : null,
        ];
    }
}

/// <summary>
/// Issue 17's second target: a period summary at 10 000 objectives (four key results each, eight weekly check-ins per
/// key result) through the EF Core store, against the ADO store of the same engine holding the same tenant.
/// </summary>
[MemoryDiagnoser]
public class EfCoreSummary
{
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 1, 5, 9, 0) + Duration.FromDays(50));
    private readonly TenantId _tenant = new(Guid.CreateVersion7());
    private OkrService _ado = null!;
    private OkrService _ef = null!;
    private PeriodId _period;
    private string _adoDatabase = null!;
    private string _efDatabase = null!;
    private IOkrStore _adoStore = null!;

    [Params("SQLite", "PostgreSQL")]
    public string Engine { get; set; } = "SQLite";

    [Params(10_000)]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        IOkrStore ado;
        if (Engine == "SQLite")
        {
            _adoDatabase = $"Data Source={Path.Combine(Path.GetTempPath(), $"okr-ado-bench-{Guid.NewGuid():N}.db")}";
            var sqlite = new SqliteOkrStore(_adoDatabase);
            sqlite.InitializeAsync().GetAwaiter().GetResult();
            ado = sqlite;
        }
        else
        {
            using var source = BenchDatabase.Create();
            _adoDatabase = source.ConnectionString;
            var postgres = new PostgreSqlOkrStore(source.ConnectionString);
            postgres.InitializeAsync().GetAwaiter().GetResult();
            ado = postgres;
        }

        var (options, efDatabase) = EfBenchDatabase.Create(Engine);
        _efDatabase = efDatabase;
        var ef = new EntityFrameworkCoreOkrStore<BenchContext>(new BenchContextFactory(options));
        var document = DashboardTenant.Document(_tenant, Objectives);
        _period = document.Periods[0].Id;
        _adoStore = ado;
        ado.ImportAsync(_tenant, document).AsTask().GetAwaiter().GetResult();
        ef.ImportAsync(_tenant, document).AsTask().GetAwaiter().GetResult();
        _ado = new OkrService(ado, _clock);
        _ef = new OkrService(ef, _clock);

        // The ADO stores refresh the planner's statistics after a large import themselves; the EF Core store leaves that
        // to the database (autovacuum's analyze, SQLite's PRAGMA optimize), which is run here so both are measured as
        // they settle.
        using var db = new BenchContext(options);
        db.Database.ExecuteSqlRaw(Engine == "SQLite" ? "PRAGMA optimize=0x10002;" : "ANALYZE;");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // The ADO store's own pool first, so the drop finds no session of it.
        (_adoStore as IAsyncDisposable)?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        (_adoStore as IDisposable)?.Dispose();
        BenchDatabase.Delete(_efDatabase);
        BenchDatabase.Delete(_adoDatabase);
    }

    [Benchmark(Baseline = true, Description = "ADO store: Progress.SummarizeAsync")]
    public int Ado() => _ado.Progress.SummarizeAsync(_tenant, _period).AsTask().GetAwaiter().GetResult().Objectives.Count;

    [Benchmark(Description = "EF Core store: Progress.SummarizeAsync")]
    public int Ef() => _ef.Progress.SummarizeAsync(_tenant, _period).AsTask().GetAwaiter().GetResult().Objectives.Count;
}
