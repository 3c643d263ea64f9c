using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// Ready for a PostgreSQL that shards by tenant (Citus): every statement the store sends to an OKR table names the
/// tenant, so a distributed planner can route it to one shard. Statements are captured from Npgsql's own tracing
/// while a workload calls every store operation.
/// </summary>
public partial class DistributionReadinessTests
{
    [PostgresFact]
    public async Task Every_statement_on_an_okr_table_names_the_tenant()
    {
        var database = TestDatabase.CreateDatabase();
        var name = new Npgsql.NpgsqlConnectionStringBuilder(database).Database;
        var statements = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // Only this test's database: other tests run beside it in the same process.
                if ((activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql
                    && Equals(activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name"), name))
                {
                    statements.Add(sql);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using (var store = new PostgreSqlOkrStore(database))
        {
            await store.InitializeAsync();
            statements.Clear();   // the migration's DDL is not the store's traffic
            await Workload(store);
        }

        var onTables = statements.Distinct().Where(s => OkrTable().IsMatch(s)).ToList();
        Assert.True(onTables.Count >= 25, $"Only {onTables.Count} distinct statements were captured: {string.Join(" | ", onTables)}");
        var blind = onTables.Where(s => !s.Contains("tenant", StringComparison.Ordinal) && !IsStagingDdl(s)).ToList();
        Assert.True(blind.Count == 0, "Statements that do not name the tenant:\n" + string.Join("\n---\n", blind));
    }

    /// <summary>Temporary staging tables are made LIKE an OKR table: DDL on the session, not a query of the shards.</summary>
    private static bool IsStagingDdl(string sql) => sql.TrimStart().StartsWith("CREATE TEMP TABLE", StringComparison.Ordinal);

    [GeneratedRegex(@"\bokr_(periods|objectives|key_results|check_ins|objective_history|period_history)\b")]
    private static partial Regex OkrTable();

    /// <summary>Every store operation, through the facade and directly, small batches and large (COPY) ones.</summary>
    private static async Task Workload(PostgreSqlOkrStore store)
    {
        var clock = new NodaTime.Testing.FakeClock(Instant.FromUtc(2026, 2, 1, 9, 0));
        var okr = new OkrService(store, clock);
        var tenant = new TenantId(Guid.NewGuid());
        var period = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        period = await okr.Periods.ActivateAsync(tenant, period.Id);
        Objective NewObjective(string title) => Objective.Create(ObjectiveId.New(clock), period.Id, title, OwnerRef.Team("t"), clock, keyResults:
            [.. Enumerable.Range(0, 3).Select(i => new KeyResult(KeyResultId.New(clock), $"KR {i}", new IncreaseMeasure(0m, 100m)))]);
        var parent = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, NewObjective("Parent"))).Id);
        var child = await okr.Objectives.CreateAsync(tenant, NewObjective("Child"));
        child = await okr.Objectives.AlignAsync(tenant, child.Id, new AlignmentLink(parent.Id, parent.KeyResults[0].Id));
        child = await okr.Objectives.ActivateAsync(tenant, child.Id);
        var first = await okr.CheckIns.RecordAsync(tenant, parent.KeyResults[0].Id, 10m, OwnerRef.Person("p"));
        await okr.CheckIns.CorrectAsync(tenant, first.Id, 12m, OwnerRef.Person("p"));
        await okr.CheckIns.RecordManyAsync(tenant, [.. Enumerable.Range(0, 40).Select(i => CheckIn.Record(CheckInId.New(clock), child.KeyResults[i % 3].Id, i, OwnerRef.Person("p"), clock))]);
        await okr.CheckIns.HistoryAsync(tenant, parent.KeyResults[0].Id);
        await okr.Objectives.HistoryAsync(tenant, child.Id);
        await okr.Progress.SummarizeAsync(tenant, period.Id);
        await okr.Progress.GetObjectiveStatusAsync(tenant, child.Id);
        await okr.Objectives.ListAsync(tenant, new ObjectiveQuery { Owner = OwnerRef.Team("t"), State = ObjectiveState.Active, After = parent.Id, Limit = 5 }).ToListAsync();
        await store.GetValuesAsOfAsync(tenant, [parent.KeyResults[0].Id], clock.GetCurrentInstant(), clock.GetCurrentInstant());
        await okr.Periods.CloseAsync(tenant, period.Id);
        await okr.Periods.ReopenAsync(tenant, period.Id, "Late figures");
        await okr.Periods.HistoryAsync(tenant, period.Id);
        await store.ListPeriodsAsync(tenant).ToListAsync();
        var export = await store.ExportAsync(tenant);
        await store.ExportAsync(tenant, period.Id);

        // Imports: fresh ids go straight in; known ids go through staging and replace.
        var other = new TenantId(Guid.NewGuid());
        var fresh = OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 2);
        var objectives = Enumerable.Range(0, 3).Select(i => Objective.Create(ObjectiveId.New(clock), fresh.Id, $"Imported {i}", OwnerRef.Team("t"), clock, keyResults: [new KeyResult(KeyResultId.New(clock), "KR", new IncreaseMeasure(0m, 1m))])).ToList();
        await store.ImportAsync(other, new OkrDocument(other, [fresh], objectives, []));
        await store.ImportAsync(other, new OkrDocument(other, [fresh], objectives, [.. Enumerable.Range(0, 3).Select(i => CheckIn.Record(CheckInId.New(clock), objectives[i].KeyResults[0].Id, 1m, OwnerRef.Person("p"), clock))]));
        await store.ImportAsync(tenant, export with { Objectives = [.. export.Objectives] });
        await okr.Transfer.ImportAsync(other, new OkrDocument(other, [], [objectives[0].WithTitle("Renamed", clock)], []));
    }
}
