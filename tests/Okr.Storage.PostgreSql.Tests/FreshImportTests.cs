using System.Diagnostics;
using Npgsql;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Service;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// Statistics after bulk writes: the first summary of a tenant imported into a fresh database must not be planned
/// blind. Without statistics the planner once chose a nested loop over the whole check-in table and the read timed out.
/// </summary>
public class FreshImportTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);

    /// <summary>
    /// 10,000 objectives (4 key results each, 8 weekly check-ins per key result: 320,000 check-ins) imported into a
    /// fresh database, then summarised at once, through Npgsql's default 30-second command timeout. The import
    /// analysed the tables it filled before returning.
    /// </summary>
    [PostgresFact]
    public async Task A_ten_thousand_objective_import_into_a_fresh_database_is_summarised_at_once()
    {
        var database = TestDatabase.CreateDatabase();
        await using var store = new PostgreSqlOkrStore(database);
        var tenant = new TenantId(Guid.NewGuid());
        var document = Document(tenant, 10_000);
        await store.ImportAsync(tenant, document);
        var timeout = new NpgsqlConnectionStringBuilder(database).CommandTimeout;
        Assert.Equal(30, timeout);

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            foreach (var table in new[] { "okr_objectives", "okr_check_ins", "okr_key_result_values", "okr_alignments" })
            {
                await using var stats = new NpgsqlCommand("SELECT c.reltuples, s.last_analyze IS NOT NULL FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = @t", connection);
                stats.Parameters.AddWithValue("t", table);
                await using var reader = await stats.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.True(reader.GetFloat(0) > 0 && reader.GetBoolean(1), $"{table} has no statistics after the import (reltuples {reader.GetFloat(0)}).");
            }
        }

        var okr = new OkrService(store, new FakeClock(Start + Duration.FromDays(60)));
        var watch = Stopwatch.StartNew();
        var summary = await okr.Progress.SummarizeAsync(tenant, document.Periods[0].Id);
        watch.Stop();
        Assert.Equal(10_000, summary.Objectives.Count);
        Assert.All(summary.Objectives.Take(100), s => Assert.NotNull(s.Progress.Progress));
        // The whole period's check-ins in one read (the statement that timed out on 3 of 3 fresh tenants before).
        Assert.Equal(320_000, (await okr.CheckIns.PeriodHistoryAsync(tenant, document.Periods[0].Id)).Count);
        var status = await okr.Progress.GetObjectiveStatusAsync(tenant, document.Objectives[^1].Id);
        Assert.Equal(summary.Objectives.Single(s => s.Progress.Objective.Id == document.Objectives[^1].Id).Progress.Progress, status.Progress.Progress);

        // A later import of the tenant over the threshold that adds less than a tenth of the rows leaves the statistics
        // as they are...
        var before = await TuplesAsync(database);
        await using (var small = new PostgreSqlOkrStore(new PostgreSqlOkrStoreOptions { ConnectionString = database, AnalyzeThreshold = 600 }))
        {
            await small.ImportAsync(tenant, Document(tenant, 20));   // 640 check-ins
        }

        Assert.Equal(before, await TuplesAsync(database));

        // ...but a new tenant's first import of that size is analysed: until the statistics have seen a tenant, the
        // planner estimates it at one row.
        await using (var small = new PostgreSqlOkrStore(new PostgreSqlOkrStoreOptions { ConnectionString = database, AnalyzeThreshold = 600 }))
        {
            var other = new TenantId(Guid.NewGuid());
            await small.ImportAsync(other, Document(other, 20));
        }

        var after = await TuplesAsync(database);
        Assert.True(after > before, $"The new tenant's import left the statistics at {after} rows ({before} before it).");
    }

    private static async Task<float> TuplesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var tuples = new NpgsqlCommand("SELECT reltuples FROM pg_class WHERE relname = 'okr_check_ins'", connection);
        return (float)(await tuples.ExecuteScalarAsync())!;
    }

    /// <summary>An import of 20 objectives (640 check-ins) leaves statistics to autovacuum (below <see cref="PostgreSqlOkrStoreOptions.AnalyzeThreshold"/>); null turns analysing off.</summary>
    [PostgresFact]
    public async Task Only_imports_at_the_threshold_analyse()
    {
        foreach (var (threshold, objectives, analysed) in new (int?, int, bool)[] { (1000, 20, false), (600, 20, true), (null, 300, false) })
        {
            var database = TestDatabase.CreateDatabase();
            await using var store = new PostgreSqlOkrStore(new PostgreSqlOkrStoreOptions { ConnectionString = database, AnalyzeThreshold = threshold });
            var tenant = new TenantId(Guid.NewGuid());
            await store.ImportAsync(tenant, Document(tenant, objectives));
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var stats = new NpgsqlCommand("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'okr_check_ins'", connection);
            Assert.Equal(analysed, (bool)(await stats.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public void Statistics_are_refreshed_after_writes_of_a_thousand_rows_by_default_and_the_threshold_is_checked()
    {
        Assert.Equal(1000, new PostgreSqlOkrStoreOptions().AnalyzeThreshold);
        Assert.Contains(Assert.Throws<OkrValidationException>(() => new PostgreSqlOkrStoreOptions { ConnectionString = "Host=x", AnalyzeThreshold = 0 }.Validate()).Violations, v => v.Member == "AnalyzeThreshold");
        new PostgreSqlOkrStoreOptions { ConnectionString = "Host=x", AnalyzeThreshold = null }.Validate();
    }

    /// <summary>A tenant's quarter: a tree of objectives ten wide, each with four key results and eight weekly check-ins per key result.</summary>
    internal static OkrDocument Document(TenantId tenant, int objectives)
    {
        var clock = new FakeClock(Start);
        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1).Activate(clock);
        var made = new List<Objective>(objectives);
        var checkIns = new List<CheckIn>(objectives * 32);
        for (var i = 0; i < objectives; i++)
        {
            var krs = Enumerable.Range(0, 4).Select(k => new KeyResult(new KeyResultId(Guid.NewGuid()), $"KR {k}", new IncreaseMeasure(0m, 100m))).ToList();
            AlignmentLink[] links = i == 0 ? [] : [new AlignmentLink(made[(i - 1) / 10].Id)];
            made.Add(Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, $"Objective {i}", OwnerRef.Team($"team-{i % 50}"), clock, keyResults: krs, alignments: links).Activate(clock));
            foreach (var kr in krs)
            {
                for (var week = 0; week < 8; week++)
                {
                    var at = Start + Duration.FromDays(7 * week);
                    checkIns.Add(new CheckIn(new CheckInId(Guid.NewGuid()), kr.Id, (week * 10) + (i % 7), OwnerRef.Person("p"), at, at));
                }
            }
        }

        return new OkrDocument(tenant, [period], made, checkIns);
    }
}
