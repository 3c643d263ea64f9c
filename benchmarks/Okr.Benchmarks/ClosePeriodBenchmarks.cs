using BenchmarkDotNet.Attributes;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Storage.PostgreSql;
using Okr.Storage.Sqlite;

namespace Okr.Benchmarks;

/// <summary>
/// Closing a period of 1 500 active objectives (4 key results each, one check-in per objective) through
/// <c>OkrService.Periods.CloseAsync</c>: the summary that grades them and one atomic commit of the period and every
/// grade, conditional on everything read. The baseline is the same store's <c>ImportAsync</c> of those 1 500 objectives
/// over themselves (the period's document imported again): the store's batch path for rewriting that many stored
/// objectives in one transaction, as a close must. For scale, the import of 1 500 new objectives into a fresh tenant
/// (no rows to replace, no audit trail to keep) is measured too.
/// </summary>
[MemoryDiagnoser]
public class ClosePeriod
{
    private const int Objectives = 1_500;
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 2, 1, 9, 0));
    private IOkrStore _store = null!;
    private OkrService _okr = null!;
    private TenantId _closing;
    private PeriodId _period;
    private OkrDocument _again = null!;
    private OkrDocument _fresh = null!;

    [Params("SQLite", "PostgreSQL")]
    public string Provider { get; set; } = "SQLite";

    [GlobalSetup]
    public void Setup()
    {
        _store = Provider == "SQLite"
            ? new SqliteOkrStore($"Data Source={Path.Combine(Path.GetTempPath(), $"okr-bench-close-{Guid.NewGuid():N}.db")}")
            : new PostgreSqlOkrStore(BenchDatabase.Create());
        _okr = new OkrService(_store, _clock);
    }

    // Each iteration closes a period it has not closed before, and imports into a tenant it has not imported into.
    [IterationSetup]
    public void NewPeriods()
    {
        _closing = new TenantId(Guid.CreateVersion7());
        var open = Document(_closing);
        _period = open.Periods[0].Id;
        _store.ImportAsync(_closing, open).AsTask().GetAwaiter().GetResult();
        var replacing = new TenantId(Guid.CreateVersion7());
        _again = Document(replacing);
        _store.ImportAsync(replacing, _again).AsTask().GetAwaiter().GetResult();
        _fresh = Document(new TenantId(Guid.CreateVersion7()));
    }

    [Benchmark(Baseline = true, Description = "store: ImportAsync of the 1 500 objectives over themselves")]
    public void ImportAgain() => _store.ImportAsync(_again.TenantId, _again).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "store: ImportAsync of 1 500 new objectives")]
    public void ImportFresh() => _store.ImportAsync(_fresh.TenantId, _fresh).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "facade: Periods.CloseAsync of 1 500 objectives")]
    public int Close() => _okr.Periods.CloseAsync(_closing, _period).AsTask().GetAwaiter().GetResult().Objectives.Count;

    private OkrDocument Document(TenantId tenant)
    {
        var period = new OkrPeriod(PeriodId.New(_clock), "2026-Q1", new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)), PeriodState.Active);
        var start = _clock.GetCurrentInstant() - Duration.FromDays(20);
        var objectives = Enumerable.Range(0, Objectives).Select(i => new Objective(
            ObjectiveId.New(_clock), period.Id, $"Objective {i}", "", OwnerRef.Team($"team-{i % 50}"), ObjectiveKind.Committed, ObjectiveState.Active, Visibility.Public,
            [.. Enumerable.Range(0, 4).Select(k => new KeyResult(KeyResultId.New(_clock), $"KR {k}", new IncreaseMeasure(0, 1000)))], [], 0, start, start, null)).ToList();
        var checkIns = objectives.Select((o, i) => new CheckIn(CheckInId.New(_clock), o.KeyResults[0].Id, i % 1000, OwnerRef.Person("E1042"), start, start)).ToList();
        return new OkrDocument(tenant, [period], objectives, checkIns);
    }
}
