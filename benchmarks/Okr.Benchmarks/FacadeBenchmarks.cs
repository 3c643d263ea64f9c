using BenchmarkDotNet.Attributes;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Storage.PostgreSql;
using Okr.Storage.Sqlite;

namespace Okr.Benchmarks;

/// <summary>
/// A quarter on a SQLite file or a fresh PostgreSQL database: 200 active objectives of 5 key results each (1 000 key results), a quarter of
/// them aligned under others. What the facade adds on top of the store it writes through.
/// </summary>
internal sealed class FacadeQuarter
{
    public const int Objectives = 200;

    public FacadeQuarter(string provider)
    {
        if (provider == "SQLite")
        {
            var sqlite = new SqliteOkrStore($"Data Source={Path.Combine(Path.GetTempPath(), $"okr-bench-{Guid.NewGuid():N}.db")}");
            sqlite.InitializeAsync().GetAwaiter().GetResult();
            Store = sqlite;
        }
        else
        {
            var postgres = new PostgreSqlOkrStore(BenchDatabase.Create());
            postgres.InitializeAsync().GetAwaiter().GetResult();
            Store = postgres;
        }

        Okr = new OkrService(Store, Clock);
        var quarter = OkrPeriod.CalendarQuarter(PeriodId.New(Clock), 2026, 1);
        Okr.Periods.CreateAsync(Tenant, quarter).AsTask().GetAwaiter().GetResult();
        Period = Okr.Periods.ActivateAsync(Tenant, quarter.Id).AsTask().GetAwaiter().GetResult();
        var made = new List<Objective>();
        for (var i = 0; i < Objectives; i++)
        {
            var krs = Enumerable.Range(0, 5).Select(k => new KeyResult(KeyResultId.New(Clock), $"KR {k}", new IncreaseMeasure(0, 1000)));
            var links = i >= 4 && i % 4 == 0 ? new[] { new AlignmentLink(made[i / 4].Id) } : null;
            var draft = Objective.Create(ObjectiveId.New(Clock), quarter.Id, $"Objective {i}", OwnerRef.Team($"team-{i % 20}"), Clock, keyResults: krs, alignments: links);
            Okr.Objectives.CreateAsync(Tenant, draft).AsTask().GetAwaiter().GetResult();
            made.Add(Okr.Objectives.ActivateAsync(Tenant, draft.Id).AsTask().GetAwaiter().GetResult());
        }

        KeyResults = [.. made.SelectMany(o => o.KeyResults).Select(k => k.Id)];
        Clock.Advance(Duration.FromDays(30));
    }

    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 1, 5, 9, 0));

    public TenantId Tenant { get; } = new(Guid.CreateVersion7());

    public IOkrStore Store { get; }

    public OkrService Okr { get; }

    public OkrPeriod Period { get; }

    public IReadOnlyList<KeyResultId> KeyResults { get; }

    /// <summary>One check-in for each key result, new ids, recorded now.</summary>
    public List<CheckIn> NewBatch(int seed)
    {
        Clock.Advance(Duration.FromMinutes(1));
        var random = new Random(seed);
        return [.. KeyResults.Select(kr => CheckIn.Record(CheckInId.New(Clock), kr, random.Next(0, 100_000) / 100m, OwnerRef.Person("E1042"), Clock))];
    }
}

/// <summary>
/// Recording 1 000 check-ins (one per key result of 200 objectives) in one atomic batch through
/// <c>OkrService.CheckIns.RecordManyAsync</c> (one objective and period lookup per objective, the rules, the
/// append, telemetry), against the store's <c>AppendCheckInsAsync</c> of the same batch.
/// </summary>
[MemoryDiagnoser]
public class FacadeBatchCheckIn
{
    private FacadeQuarter _quarter = null!;
    private int _seed;

    [Params("SQLite", "PostgreSQL")]
    public string Provider { get; set; } = "SQLite";

    [GlobalSetup]
    public void Setup() => _quarter = new FacadeQuarter(Provider);

    // Each call makes its batch (new ids; about 0.3 ms, in both columns alike), so BenchmarkDotNet may call
    // as often as it likes and the JIT is warm when it measures.
    [Benchmark(Baseline = true, Description = "store: AppendCheckInsAsync")]
    public int Store() => _quarter.Store.AppendCheckInsAsync(_quarter.Tenant, _quarter.NewBatch(++_seed)).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "facade: CheckIns.RecordManyAsync")]
    public int Facade() => _quarter.Okr.CheckIns.RecordManyAsync(_quarter.Tenant, _quarter.NewBatch(++_seed)).AsTask().GetAwaiter().GetResult();
}

/// <summary>
/// The period summary of 200 objectives with check-ins (progress rolled up the alignment tree, health of
/// every key result, coverage), against the two store reads it needs: the period's objectives and the
/// values in force of their key results.
/// </summary>
[MemoryDiagnoser]
public class FacadeSummary
{
    private FacadeQuarter _quarter = null!;

    [Params("SQLite", "PostgreSQL")]
    public string Provider { get; set; } = "SQLite";

    [GlobalSetup]
    public void Setup()
    {
        _quarter = new FacadeQuarter(Provider);
        for (var week = 0; week < 4; week++)
        {
            _quarter.Okr.CheckIns.RecordManyAsync(_quarter.Tenant, _quarter.NewBatch(week)).AsTask().GetAwaiter().GetResult();
        }
    }

    [Benchmark(Baseline = true, Description = "store: list objectives + values as of now")]
    public int Reads() => ReadsAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "facade: Progress.SummarizeAsync")]
    public int Summary() => _quarter.Okr.Progress.SummarizeAsync(_quarter.Tenant, _quarter.Period.Id).AsTask().GetAwaiter().GetResult().Objectives.Count;

    private async Task<int> ReadsAsync()
    {
        var objectives = new List<Objective>();
        await foreach (var o in _quarter.Store.ListObjectivesAsync(_quarter.Tenant, new ObjectiveQuery { Period = _quarter.Period.Id }))
        {
            objectives.Add(o);
        }

        var values = await _quarter.Store.GetValuesAsOfAsync(_quarter.Tenant, [.. objectives.SelectMany(o => o.KeyResults).Select(k => k.Id)], _quarter.Clock.GetCurrentInstant());
        return objectives.Count + values.Count;
    }
}
