using BenchmarkDotNet.Attributes;
using Okr.Core;
using Okr.Core.Storage;
using Okr.Reporting;

namespace Okr.Benchmarks;

/// <summary>
/// The CSV exports of a period (4 key results per objective, 8 weekly check-ins per key result with a value) written to
/// <see cref="TextWriter.Null"/>, against a bare driver read of the period's rows (every objective body and every
/// check-in row) in the same run. The target (issue 20) is the check-in export within 2× of that read, with allocation
/// per row independent of the period's size: compare the 10k and 100k rows. In memory the baseline is the store's own
/// reads of the same rows, a page of objectives and their histories at a time, as the export reads them.
/// </summary>
[MemoryDiagnoser]
public class CsvExportQuery
{
    private DashboardTenant _tenant = null!;

    [ParamsSource(typeof(DashboardTenant), nameof(DashboardTenant.Providers))]
    public string Provider { get; set; } = "InMemory";

    [Params(10_000, 100_000)]
    public int Objectives { get; set; }

    [GlobalSetup]
    public void Setup() => _tenant = new DashboardTenant(Provider, Objectives);

    [GlobalCleanup]
    public void Cleanup() => _tenant.Dispose();

    [Benchmark(Baseline = true, Description = "raw read of the period's rows")]
    public long Raw() => Provider == "InMemory"
        ? InMemoryRowsAsync().GetAwaiter().GetResult()
        : _tenant.RawPeriodReadAsync(_tenant.Tenant, _tenant.Period).GetAwaiter().GetResult();

    [Benchmark(Description = "CsvExport.WriteCheckInsAsync")]
    public int CheckIns() => CsvExport.WriteCheckInsAsync(_tenant.Okr, _tenant.Tenant, _tenant.Period, TextWriter.Null).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "CsvExport.WriteKeyResultsAsync")]
    public int KeyResults() => CsvExport.WriteKeyResultsAsync(_tenant.Okr, _tenant.Tenant, _tenant.Period, TextWriter.Null).AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "CsvExport.WriteObjectivesAsync")]
    public int Objectives_() => CsvExport.WriteObjectivesAsync(_tenant.Okr, _tenant.Tenant, _tenant.Period, TextWriter.Null).AsTask().GetAwaiter().GetResult();

    // In memory: the store's own reads of the same rows, a page of 500 objectives and their histories at a time.
    private async Task<long> InMemoryRowsAsync()
    {
        long rows = 0;
        ObjectiveId? after = null;
        var page = new List<Objective>(500);
        do
        {
            page.Clear();
            await foreach (var o in _tenant.Store.ListObjectivesAsync(_tenant.Tenant, new ObjectiveQuery { Period = _tenant.Period, After = after, Limit = 500 }))
            {
                page.Add(o);
            }

            if (page.Count > 0)
            {
                after = page[^1].Id;
                var histories = await _tenant.Store.GetHistoriesAsync(_tenant.Tenant, [.. page.SelectMany(o => o.KeyResults.Select(k => k.Id))]);
                rows += page.Count + histories.Sum(h => (long)h.Value.Count);
            }
        }
        while (page.Count == 500);
        return rows;
    }
}
