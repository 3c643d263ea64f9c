using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Okr.Core;
using Okr.Core.Alignment;
using Okr.Core.Scoring;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Reporting;
using Okr.Storage.PostgreSql;
using Okr.Storage.Sqlite;

namespace Okr.Benchmarks;

/// <summary>
/// A tenant for the dashboard benchmarks, imported into a store: the objectives of <see cref="EnterpriseData"/> (4 key
/// results each, trees ten wide) and eight weekly check-ins per key result that has a value (nine in ten), so every
/// read of "now" stands on histories of eight. Read on day 50 of the quarter's 90 (after the eighth check-in, as a live
/// read always is: a check-in's recorded time is the store's clock when it was appended).
/// </summary>
internal sealed class DashboardTenant : IDisposable
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);

    public DashboardTenant(string provider, int objectives, int? analyzeThreshold = 1000, Func<OkrDocument, OkrDocument>? shape = null)
    {
        _shape = shape;
        Provider = provider;
        (Store, ConnectionString) = provider switch
        {
            "InMemory" => ((IOkrStore)new InMemoryOkrStore(), (string?)null),
            "SQLite" => Sqlite(),
            "PostgreSQL" => Postgres(analyzeThreshold),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "InMemory, SQLite or PostgreSQL."),
        };
        _objectives = objectives;
        Period = ImportAsync(Tenant, objectives).GetAwaiter().GetResult();
        Okr = new OkrService(Store, Clock);
    }

    public string Provider { get; }

    /// <summary>The stores to measure: <c>OKR_BENCH_PROVIDERS</c> (comma-separated), or all three.</summary>
    public static IEnumerable<string> Providers =>
        Environment.GetEnvironmentVariable("OKR_BENCH_PROVIDERS") is { Length: > 0 } chosen ? chosen.Split(',') : ["InMemory", "SQLite", "PostgreSQL"];

    /// <summary>The tenant sizes of the period summary: 10k and 100k objectives, or those <c>OKR_BENCH_OBJECTIVES</c> lists (comma-separated), to give one size a longer warm-up.</summary>
    public static IEnumerable<int> Sizes =>
        Environment.GetEnvironmentVariable("OKR_BENCH_OBJECTIVES") is { Length: > 0 } chosen ? chosen.Split(',').Select(int.Parse) : [10_000, 100_000];

    public IOkrStore Store { get; }

    public string? ConnectionString { get; }

    public TenantId Tenant { get; } = new(Guid.CreateVersion7());

    public PeriodId Period { get; }

    public FakeClock Clock { get; } = new(Start + Duration.FromDays(50));

    public OkrService Okr { get; }

    /// <summary>Imports a tenant of <paramref name="objectives"/> objectives into this store and returns its period.</summary>
    public async Task<PeriodId> ImportAsync(TenantId tenant, int objectives)
    {
        var document = Document(tenant, objectives);
        document = _shape?.Invoke(document) ?? document;
        await Store.ImportAsync(tenant, document);
        return document.Periods[0].Id;
    }

    /// <summary>
    /// The tenant's document: the objectives of <see cref="EnterpriseData"/> in an active quarter, and eight weekly
    /// check-ins per key result that has a value.
    /// </summary>
    public static OkrDocument Document(TenantId tenant, int objectives)
    {
        var data = EnterpriseData.Of(objectives);
        var period = OkrPeriod.CalendarQuarter(data.Objectives[0].PeriodId, 2026, 1).Activate(new FakeClock(Start));
        var checkIns = new List<CheckIn>(objectives * EnterpriseData.KeyResultsPerObjective * 8);
        for (var flat = 0; flat < data.Values.Length; flat++)
        {
            if (data.Values[flat] is not { } value)
            {
                continue;
            }

            var kr = data.Objectives[flat / EnterpriseData.KeyResultsPerObjective].KeyResults[flat % EnterpriseData.KeyResultsPerObjective].Id;
            for (var week = 1; week <= 8; week++)
            {
                var at = Start + Duration.FromDays(7 * (week - 1)) + Duration.FromMinutes(flat % 600);
                checkIns.Add(new CheckIn(new CheckInId(Guid.CreateVersion7()), kr, Math.Round(value * week / 8, 2), OwnerRef.Person("E1042"), at, at));
            }
        }

        return new OkrDocument(tenant, [period], data.Objectives, checkIns);
    }

    public async Task<int> ReadsAndRollupAsync(TenantId tenant, PeriodId period)
    {
        var objectives = new List<Objective>();
        await foreach (var o in Store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }))
        {
            objectives.Add(o);
        }

        var graph = AlignmentGraph.Build(objectives);
        var current = await Store.GetCurrentValuesAsync(tenant, [.. graph.KeyResults.Select(k => k.Id)], Clock.GetCurrentInstant());
        var values = new decimal?[graph.KeyResultCount];
        for (var k = 0; k < values.Length; k++)
        {
            values[k] = current.TryGetValue(graph.KeyResults[k].Id, out var c) ? c.InForce?.Value : null;
        }

        var rollup = graph.Rollup(OkrScoring.Default, values);
        return rollup.Progress(objectives[0].Id) is null ? 0 : objectives.Count;
    }

    /// <summary>The same rows through the bare driver: the objectives' bodies (not decoded) and the current-value rows (since schema 8 they hold the in-force check-in's columns).</summary>
    public async Task<long> RawReadAsync(TenantId tenant, PeriodId period)
    {
        var krs = EnterpriseData.Of(_objectives).Objectives.SelectMany(o => o.KeyResults).Select(k => k.Id).ToList();
        long read = 0;
        if (Provider == "SQLite")
        {
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync();
            read += await DrainAsync(connection, "SELECT body FROM objectives WHERE tenant = $t AND period_id = $p", ("$t", tenant.ToString()), ("$p", period.ToString()));
            read += await DrainAsync(connection, "SELECT v.check_in_id, v.kr_id, v.value, v.author_kind, v.author_id, v.effective_at, v.recorded_at, v.confidence, v.note, v.corrects, v.last_recorded_at FROM key_result_values v WHERE v.tenant = $t AND v.kr_id IN (SELECT value FROM json_each($krs))", ("$t", tenant.ToString()), ("$krs", System.Text.Json.JsonSerializer.Serialize(krs.Select(k => k.ToString()).ToArray())));
        }
        else
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            read += await DrainAsync(connection, "SELECT body FROM okr_objectives WHERE tenant = @t AND period_id = @p", ("t", tenant.Value), ("p", period.Value));
            read += await DrainAsync(connection, "SELECT v.check_in_id, v.kr_id, v.value, v.author_kind, v.author_id, v.effective_at, v.recorded_at, v.confidence, v.note, v.corrects, v.last_recorded_at FROM okr_key_result_values v WHERE v.tenant = @t AND v.kr_id = ANY(@krs)", ("t", tenant.Value), ("krs", krs.Select(k => k.Value).ToArray()));
        }

        return read;
    }

    private readonly int _objectives;
    private readonly Func<OkrDocument, OkrDocument>? _shape;

    /// <summary>Deletes the tenant's database (a SQLite file, or a PostgreSQL database): a 100k tenant takes gigabytes.</summary>
    public void Dispose()
    {
        (Store as IDisposable)?.Dispose();
        if (ConnectionString is not { } cs)
        {
            return;
        }

        if (Provider == "SQLite")
        {
            SqliteConnection.ClearAllPools();
            var file = new SqliteConnectionStringBuilder(cs).DataSource;
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
        else
        {
            BenchDatabase.Drop(cs);
        }
    }

    /// <summary>A period's rows through the bare driver: its objectives' bodies (not decoded) and every check-in row of their key results.</summary>
    public async Task<long> RawPeriodReadAsync(TenantId tenant, PeriodId period)
    {
        if (Provider == "SQLite")
        {
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync();
            return await DrainAsync(connection, "SELECT body FROM objectives WHERE tenant = $t AND period_id = $p", ("$t", tenant.ToString()), ("$p", period.ToString()))
                + await DrainAsync(connection, "SELECT c.id, c.kr_id, c.value, c.author_kind, c.author_id, c.effective_at, c.recorded_at, c.confidence, c.note, c.corrects FROM check_ins c WHERE c.tenant = $t AND c.kr_id IN (SELECT k.id FROM objectives o JOIN key_results k ON k.tenant = o.tenant AND k.objective_id = o.id WHERE o.tenant = $t AND o.period_id = $p)", ("$t", tenant.ToString()), ("$p", period.ToString()));
        }

        await using var pg = new NpgsqlConnection(ConnectionString);
        await pg.OpenAsync();
        return await DrainAsync(pg, "SELECT body FROM okr_objectives WHERE tenant = @t AND period_id = @p", ("t", tenant.Value), ("p", period.Value))
            + await DrainAsync(pg, "SELECT c.id, c.kr_id, c.value, c.author_kind, c.author_id, c.effective_at, c.recorded_at, c.confidence, c.note, c.corrects FROM okr_check_ins c WHERE c.tenant = @t AND c.kr_id IN (SELECT k.id FROM okr_objectives o JOIN okr_key_results k ON k.tenant = o.tenant AND k.objective_id = o.id WHERE o.tenant = @t AND o.period_id = @p)", ("t", tenant.Value), ("p", period.Value));
    }

    private static async Task<long> DrainAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        long read = 0;
        await using var reader = await command.ExecuteReaderAsync();
        var row = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            read += reader.GetValues(row);
        }

        return read;
    }

    private static (IOkrStore, string?) Sqlite()
    {
        var cs = $"Data Source={Path.Combine(Path.GetTempPath(), $"okr-dash-{Guid.NewGuid():N}.db")}";
        var store = new SqliteOkrStore(cs);
        store.InitializeAsync().GetAwaiter().GetResult();
        return (store, cs);
    }

    private static (IOkrStore, string?) Postgres(int? analyzeThreshold)
    {
        using var source = BenchDatabase.Create();
        var cs = source.ConnectionString;
        var store = new PostgreSqlOkrStore(new PostgreSqlOkrStoreOptions { ConnectionString = cs, AnalyzeThreshold = analyzeThreshold });
        store.InitializeAsync().GetAwaiter().GetResult();
        return (store, cs);
    }
}

/// <summary>
/// A whole period's summary at 10k and 100k objectives (8 check-ins per key result) against, in the same run, the
/// store's reads plus <see cref="AlignmentGraph"/>'s roll-up (target ≤ 1.3×) and a bare driver read of the same rows
/// (target ≤ 2×; SQL stores only).
/// </summary>
[MemoryDiagnoser]
public class DashboardSummary
{
    private DashboardTenant _tenant = null!;

    [ParamsSource(typeof(DashboardTenant), nameof(DashboardTenant.Providers))]
    public string Provider { get; set; } = "InMemory";

    [ParamsSource(typeof(DashboardTenant), nameof(DashboardTenant.Sizes))]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup() => _tenant = new DashboardTenant(Provider, Objectives);

    [GlobalCleanup]
    public void Cleanup() => _tenant.Dispose();

    [Benchmark(Baseline = true, Description = "store reads + AlignmentGraph.Rollup")]
    public int Reads() => _tenant.ReadsAndRollupAsync(_tenant.Tenant, _tenant.Period).GetAwaiter().GetResult();

    [Benchmark(Description = "raw driver read of the same rows")]
    public long Raw() => Provider == "InMemory" ? 0 : _tenant.RawReadAsync(_tenant.Tenant, _tenant.Period).GetAwaiter().GetResult();

    [Benchmark(Description = "Progress.SummarizeAsync")]
    public int Summary() => _tenant.Okr.Progress.SummarizeAsync(_tenant.Tenant, _tenant.Period).AsTask().GetAwaiter().GetResult().Objectives.Count;
}

/// <summary>
/// One objective's status (a team objective at the bottom of the tree: its subtree is itself) at 1k and at 100k objectives:
/// the target is the same cost within 2×, whatever the period's size.
/// </summary>
[MemoryDiagnoser]
public class DashboardObjectiveStatus
{
    private DashboardTenant _tenant = null!;
    private ObjectiveId _objective;

    [ParamsSource(typeof(DashboardTenant), nameof(DashboardTenant.Providers))]
    public string Provider { get; set; } = "InMemory";

    [Params(1_000, 100_000)]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tenant = new DashboardTenant(Provider, Objectives);
        _objective = EnterpriseData.Of(Objectives).Objectives[^1].Id;
    }

    [GlobalCleanup]
    public void Cleanup() => _tenant.Dispose();

    [Benchmark(Description = "Progress.GetObjectiveStatusAsync")]
    public int Status() => _tenant.Okr.Progress.GetObjectiveStatusAsync(_tenant.Tenant, _objective).AsTask().GetAwaiter().GetResult().KeyResults.Count;
}

/// <summary>
/// A subtree of about 1,000 objectives (a second-level objective and everything aligned under it) summarised in a 100k
/// tenant, against the whole-period summary of a tenant with as many objectives as the subtree, in the same store
/// (target within 2×). The subtree has 1,292 objectives, not 1,000: one objective in twenty has a second parent, and
/// those under the subtree from outside it bring their own subtrees; the baseline is sized to match.
/// </summary>
[MemoryDiagnoser]
public class DashboardScopedSummary
{
    private DashboardTenant _tenant = null!;
    private TenantId _small;
    private PeriodId _smallPeriod;
    private SummaryScope _scope = null!;

    [ParamsSource(typeof(DashboardTenant), nameof(DashboardTenant.Providers))]
    public string Provider { get; set; } = "InMemory";

    [GlobalSetup]
    public void Setup()
    {
        _tenant = new DashboardTenant(Provider, 100_000);
        var size = SubtreeSize(EnterpriseData.Of(100_000), Root);
        Console.WriteLine($"// subtree and baseline period: {size} objectives");
        _small = new TenantId(Guid.CreateVersion7());
        _smallPeriod = _tenant.ImportAsync(_small, size).GetAwaiter().GetResult();
        _scope = new SummaryScope { Subtree = EnterpriseData.Of(100_000).Objectives[Root].Id };
    }

    /// <summary>The subtree's root: the first second-level objective.</summary>
    private const int Root = 10;

    /// <summary>How many objectives are at or under <paramref name="root"/> by either of their parents.</summary>
    internal static int SubtreeSize(EnterpriseData data, int root)
    {
        var children = new List<int>[data.Objectives.Length];
        for (var i = 0; i < children.Length; i++)
        {
            foreach (var parent in (ReadOnlySpan<int>)[data.ParentA[i], data.ParentB[i]])
            {
                if (parent >= 0)
                {
                    (children[parent] ??= []).Add(i);
                }
            }
        }

        var seen = new bool[children.Length];
        var queue = new Queue<int>([root]);
        seen[root] = true;
        var count = 0;
        while (queue.TryDequeue(out var next))
        {
            count++;
            foreach (var child in children[next] ?? [])
            {
                if (!seen[child])
                {
                    seen[child] = true;
                    queue.Enqueue(child);
                }
            }
        }

        return count;
    }

    [GlobalCleanup]
    public void Cleanup() => _tenant.Dispose();

    [Benchmark(Baseline = true, Description = "period of the subtree's size: SummarizeAsync")]
    public int SmallPeriod() => _tenant.Okr.Progress.SummarizeAsync(_small, _smallPeriod).AsTask().GetAwaiter().GetResult().Objectives.Count;

    [Benchmark(Description = "subtree in a 100k period: SummarizeAsync(scope)")]
    public int Subtree() => _tenant.Okr.Progress.SummarizeAsync(_tenant.Tenant, _tenant.Period, _scope).AsTask().GetAwaiter().GetResult().Objectives.Count;
}

/// <summary>
/// PostgreSQL: the first summary of a 10k-objective tenant imported into a fresh database with no statistics at all
/// (no ANALYZE by the store, autovacuum off for the database), against the same after ANALYZE (target within 2×).
/// </summary>
[MemoryDiagnoser]
public class DashboardAfterImport
{
    private DashboardTenant _blind = null!;
    private DashboardTenant _analysed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _blind = new DashboardTenant("PostgreSQL", 10_000, analyzeThreshold: null);
        using (var connection = new NpgsqlConnection(_blind.ConnectionString))
        {
            connection.Open();
            using var off = new NpgsqlCommand("ALTER TABLE okr_objectives SET (autovacuum_enabled = false); ALTER TABLE okr_check_ins SET (autovacuum_enabled = false); ALTER TABLE okr_key_result_values SET (autovacuum_enabled = false); ALTER TABLE okr_key_results SET (autovacuum_enabled = false); ALTER TABLE okr_alignments SET (autovacuum_enabled = false);", connection);
            off.ExecuteNonQuery();
        }

        _analysed = new DashboardTenant("PostgreSQL", 10_000);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _blind.Dispose();
        _analysed.Dispose();
    }

    [Benchmark(Baseline = true, Description = "after ANALYZE")]
    public int Analysed() => _analysed.Okr.Progress.SummarizeAsync(_analysed.Tenant, _analysed.Period).AsTask().GetAwaiter().GetResult().Objectives.Count;

    [Benchmark(Description = "no statistics (straight after the import)")]
    public int Blind() => _blind.Okr.Progress.SummarizeAsync(_blind.Tenant, _blind.Period).AsTask().GetAwaiter().GetResult().Objectives.Count;
}

/// <summary>
/// The company report of a 1,500-objective tenant on SQLite (<see cref="ReportOptions.Company"/>: top 3 levels, key
/// result rows for two, charts where a reader looks), gathered and rendered to HTML; target ≤ 500 ms and ≤ 1 MB
/// (the size is returned and asserted by <c>CompanyReportTests</c>). Baseline: the store reads of the whole period.
/// </summary>
[MemoryDiagnoser]
public class DashboardCompanyReport
{
    private DashboardTenant _tenant = null!;

    [GlobalSetup]
    public void Setup() => _tenant = new DashboardTenant("SQLite", 1_500);

    [GlobalCleanup]
    public void Cleanup() => _tenant.Dispose();

    [Benchmark(Baseline = true, Description = "store reads + AlignmentGraph.Rollup")]
    public int Reads() => _tenant.ReadsAndRollupAsync(_tenant.Tenant, _tenant.Period).GetAwaiter().GetResult();

    [Benchmark(Description = "company report: CreateAsync + HtmlReport.Render")]
    public int Report()
    {
        var report = PeriodReport.CreateAsync(_tenant.Okr, _tenant.Tenant, _tenant.Period, ReportOptions.Company()).AsTask().GetAwaiter().GetResult();
        return HtmlReport.Render(report).Length;
    }
}

/// <summary>
/// An amount a metric source adds to a key result (<c>CheckIns.RecordFromSourceAsync</c> with
/// <see cref="MetricReadingMode.Add"/>) in a period of 10,000 active objectives, against a plain check-in of the same
/// key results (<c>CheckIns.RecordAsync</c>). The added amount's write is conditional on the key result's history; its
/// cost should follow the key result, not the period. Each call takes the next of 500 key results, so histories stay
/// short and alike in both columns.
/// </summary>
[MemoryDiagnoser]
public class MetricReadingAdd
{
    private static readonly OwnerRef Source = OwnerRef.Person("svc-crm");
    private DashboardTenant _tenant = null!;
    private KeyResultId[] _keyResults = [];
    private int _next;
    private int _readings;

    [ParamsSource(typeof(DashboardTenant), nameof(DashboardTenant.Providers))]
    public string Provider { get; set; } = "InMemory";

    [GlobalSetup]
    public void Setup()
    {
        var activeAt = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        _tenant = new DashboardTenant(Provider, 10_000, shape: d => d with { Objectives = [.. d.Objectives.Select(o => o.Activate(activeAt))] });
        _keyResults = [.. EnterpriseData.Of(10_000).Objectives.Take(125).SelectMany(o => o.KeyResults).Select(k => k.Id)];
    }

    [GlobalCleanup]
    public void Cleanup() => _tenant.Dispose();

    [Benchmark(Baseline = true, Description = "CheckIns.RecordAsync")]
    public decimal Plain() => _tenant.Okr.CheckIns.RecordAsync(_tenant.Tenant, Next(), 50m, OwnerRef.Person("E1042")).AsTask().GetAwaiter().GetResult().Value;

    [Benchmark(Description = "CheckIns.RecordFromSourceAsync (added amount)")]
    public MetricRecordOutcome Added()
    {
        // Each reading a millisecond after the one before: never older than this source's newest for its key result.
        var at = Instant.FromUtc(2026, 2, 20, 9, 0) + Duration.FromMilliseconds(++_readings);
        return _tenant.Okr.CheckIns.RecordFromSourceAsync(_tenant.Tenant, new MetricReading(Next(), "crm", "pipeline", at, 1m, MetricReadingMode.Add), Source).AsTask().GetAwaiter().GetResult().Outcome;
    }

    private KeyResultId Next() => _keyResults[++_next % _keyResults.Length];
}
