using BenchmarkDotNet.Attributes;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;

namespace Okr.Benchmarks;

/// <summary>
/// Participation over a 100k-objective period (4 key results each, 8 weekly check-ins per key result with a value)
/// owned by 10,000 teams, asked about a 10,000-owner org chart, against a bare driver read of the same rows (the
/// objectives' bodies and every check-in row of the period) in the same run: the target is within 2× (issue 19).
/// In memory the baseline is the store's own reads of the same rows (the period's objectives, every history of their key results).
/// </summary>
[MemoryDiagnoser]
public class ParticipationQuery
{
    private const int Owners = 10_000;
    private DashboardTenant _tenant = null!;
    private OwnerRef[] _chart = [];

    [ParamsSource(typeof(DashboardTenant), nameof(DashboardTenant.Providers))]
    public string Provider { get; set; } = "InMemory";

    [GlobalSetup]
    public void Setup()
    {
        _chart = [.. Enumerable.Range(0, Owners).Select(i => OwnerRef.Team($"T{i:D5}"))];
        _tenant = new DashboardTenant(Provider, 100_000, shape: ReOwn);
    }

    [GlobalCleanup]
    public void Cleanup() => _tenant.Dispose();

    [Benchmark(Baseline = true, Description = "raw read of the period's rows")]
    public long Raw() => Provider == "InMemory"
        ? InMemoryRowsAsync().GetAwaiter().GetResult()
        : _tenant.RawPeriodReadAsync(_tenant.Tenant, _tenant.Period).GetAwaiter().GetResult();

    [Benchmark(Description = "Progress.ParticipationAsync, 10k owners")]
    public int Participation() => _tenant.Okr.Progress.ParticipationAsync(_tenant.Tenant, _tenant.Period, _chart).AsTask().GetAwaiter().GetResult().Silent.Count;

    // In memory: the store's own reads of the same rows, the period's objectives and every history of their key results.
    private async Task<long> InMemoryRowsAsync()
    {
        var krs = new List<KeyResultId>();
        await foreach (var o in _tenant.Store.ListObjectivesAsync(_tenant.Tenant, new ObjectiveQuery { Period = _tenant.Period }))
        {
            krs.AddRange(o.KeyResults.Select(k => k.Id));
        }

        var histories = await _tenant.Store.GetHistoriesAsync(_tenant.Tenant, krs);
        return histories.Sum(h => (long)h.Value.Count);
    }

    // Objective i belongs to team i mod 10,000; the first 10 teams of every hundred own none (they are left out), so
    // some owners have no objectives, and every key result without an owner of its own is its objective's owner's.
    private static OkrDocument ReOwn(OkrDocument document) => document with
    {
        Objectives = [.. document.Objectives.Select((o, i) => new Objective(
            o.Id, o.PeriodId, o.Title, o.Description, OwnerRef.Team($"T{(i % Owners / 100 * 100) + 10 + (i % 90):D5}"), o.Kind, o.State, o.Visibility,
            o.KeyResults, o.Alignments, o.Version, o.CreatedAt, o.UpdatedAt, o.Grade, o.UpdatedBy))],
    };
}
