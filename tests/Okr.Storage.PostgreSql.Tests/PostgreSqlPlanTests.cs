using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// Every statement of the store's read and write paths has an index for each step, as <c>SqliteSchemaTests</c> holds for
/// SQLite: planned as SQLite plans (nested loops only: <c>enable_hashjoin</c> and <c>enable_mergejoin</c> off) with
/// sequential scans priced out (<c>enable_seqscan = off</c>, so a small test table cannot hide a missing index behind a
/// cheap scan), no OKR table is read whole and no index is searched on the tenant alone (a walk of the tenant's whole
/// table, as bad as a scan once a tenant is large). With hash joins allowed, PostgreSQL may still hash a tenant's rows
/// when its statistics say that is cheaper; what this pins is that a keyed path always exists.
/// </summary>
public partial class PostgreSqlPlanTests
{
    [PostgresFact]
    public async Task Every_statement_has_an_index()
    {
        var database = TestDatabase.CreateDatabase();
        var tenant = new TenantId(Guid.NewGuid());
        var document = FreshImportTests.Document(tenant, 300);
        await using (var store = new PostgreSqlOkrStore(database))
        {
            // Statistics like a shared database's: the tenant has other periods (each statement reads a part of one),
            // and twenty other tenants have data.
            await store.ImportAsync(tenant, document);
            for (var i = 0; i < 5; i++)
            {
                await store.ImportAsync(tenant, FreshImportTests.Document(tenant, 300));
            }

            await ImportOthersAsync(store, 20, 60);
        }

        var scans = await PlanWalksAsync(database, tenant, document, "ANALYZE; SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off;", repeatedOnly: false);
        Assert.True(scans.Count == 0, string.Join("\n", scans));
    }

    /// <summary>
    /// A tenant that joined after the last ANALYZE (a new customer of a shared database: its import was below the
    /// store's analyse threshold and autovacuum has not come by) is estimated at one row or none by the planner. Planned
    /// with the server's join and index costs (sequential scans priced out only so that this test's small tables do not
    /// hide a plan), no statement may then search by the tenant alone where the search repeats (the inner side of a
    /// nested loop, a subplan run per row): a join that did (the current values: seconds for a 1,000-objective
    /// tenant beside a 100k one) rescanned the tenant's check-ins once per key result. A single pass over what the
    /// planner believes is an empty tenant stays allowed: it costs that tenant's rows once, and an import large enough
    /// to matter brings the tenant into the statistics (<see cref="PostgreSqlOkrStoreOptions.AnalyzeThreshold"/>).
    /// </summary>
    [PostgresFact]
    public async Task Every_statement_has_an_index_for_a_tenant_the_statistics_have_not_seen()
    {
        var database = TestDatabase.CreateDatabase();
        var tenant = new TenantId(Guid.NewGuid());
        var document = FreshImportTests.Document(tenant, 300);
        await using (var store = new PostgreSqlOkrStore(new PostgreSqlOkrStoreOptions { ConnectionString = database, AnalyzeThreshold = null }))
        {
            var large = new TenantId(Guid.NewGuid());
            for (var i = 0; i < 6; i++)
            {
                await store.ImportAsync(large, FreshImportTests.Document(large, 300));
            }

            await ImportOthersAsync(store, 20, 60);
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var analyse = new NpgsqlCommand("ANALYZE", connection);
                await analyse.ExecuteNonQueryAsync();
            }

            // The new tenant, after the statistics were taken.
            await store.ImportAsync(tenant, document);
            for (var i = 0; i < 2; i++)
            {
                await store.ImportAsync(tenant, FreshImportTests.Document(tenant, 300));
            }
        }

        var scans = await PlanWalksAsync(database, tenant, document, "SET enable_seqscan = off;", repeatedOnly: true);
        Assert.True(scans.Count == 0, string.Join("\n", scans));
    }

    private static async Task ImportOthersAsync(PostgreSqlOkrStore store, int tenants, int objectives)
    {
        for (var i = 0; i < tenants; i++)
        {
            var other = new TenantId(Guid.NewGuid());
            await store.ImportAsync(other, FreshImportTests.Document(other, objectives));
        }
    }

    /// <summary>Plans every statement for the tenant after <paramref name="setup"/> and returns the walks <see cref="Walks"/> finds.</summary>
    private static async Task<List<string>> PlanWalksAsync(string database, TenantId tenant, OkrDocument document, string setup, bool repeatedOnly)
    {
        var sql = PostgreSqlOkrStore.Statements;
        var period = document.Periods[0].Id.Value;
        var objective = document.Objectives[5];
        var krs = document.Objectives.Take(20).SelectMany(o => o.KeyResults).Select(k => k.Id.Value).ToArray();
        var ids = document.Objectives.Take(20).Select(o => o.Id.Value).ToArray();
        var t = ("t", (object)tenant.Value);
        var statements = new List<(string Name, string Sql, (string, object)[] Parameters)>
        {
            ("list by period", sql.ListObjectives(new ObjectiveQuery { Period = document.Periods[0].Id }), [t, ("period", period)]),
            ("list by owner and state, paged", sql.ListObjectives(new ObjectiveQuery { Owner = OwnerRef.Team("team-1"), State = ObjectiveState.Active, After = objective.Id, Limit = 10 }), [t, ("ok", (short)objective.Owner.Kind), ("oid", "team-1"), ("state", (short)ObjectiveState.Active), ("after", objective.Id.Value), ("limit", 10)]),
            ("list by state", sql.ListObjectives(new ObjectiveQuery { State = ObjectiveState.Closed, Limit = 5 }), [t, ("state", (short)ObjectiveState.Closed), ("limit", 5)]),
            ("values as of", PostgreSqlOkrStore.ValuesAsOfSql, [t, ("krs", krs), ("at", 1L), ("known", 2L)]),
            ("current values", PostgreSqlOkrStore.CurrentValuesSql, [t, ("krs", krs)]),
            ("current values, keyed", PostgreSqlOkrStore.KeyedCurrentValuesSql, [t, ("krs", krs)]),
            ("histories", sql.Histories, [t, ("krs", krs)]),
            ("refresh values", sql.RefreshValues, [t, ("krs", krs)]),
            ("subtrees", PostgreSqlOkrStore.SubtreesSql, [t, ("p", period), ("roots", ids)]),
            ("aligned under", PostgreSqlOkrStore.AlignedUnderSql, [t, ("periods", new[] { period }), ("parents", ids)]),
            ("objectives by key results", PostgreSqlOkrStore.FindObjectivesByKeyResultsSql, [t, ("krs", krs)]),
            ("objectives by id", sql.ObjectivesById, [t, ("ids", ids)]),
            ("period content", PostgreSqlOkrStore.PeriodContentSql, [t, ("p", period)]),
            ("key result's check-in count", PostgreSqlOkrStore.CountCheckInsSql, [t, ("kr", krs[0])]),
            ("key result's value row locked", PostgreSqlOkrStore.LockValueSql, [t, ("kr", krs[0])]),
            ("check-in history", sql.CheckInHistory, [t, ("kr", krs[0])]),
            ("check-in", sql.GetCheckIn, [t, ("id", document.CheckIns[0].Id.Value)]),
            ("objective", sql.GetObjective, [t, ("id", objective.Id.Value)]),
            ("objective by key result", PostgreSqlOkrStore.FindObjectiveByKeyResultSql, [t, ("kr", krs[0])]),
            ("objective history", sql.ObjectiveHistory, [t, ("id", objective.Id.Value)]),
            ("period", sql.GetPeriod, [t, ("id", period)]),
            ("periods", sql.ListPeriods, [t]),
            ("period count", PostgreSqlOkrStore.CountPeriodsSql, [t]),
            ("period history", sql.PeriodHistory, [t, ("id", period)]),
            ("period's check-ins", PostgreSqlOkrStore.ExportPeriodCheckInsSql, [t, ("p", period)]),
            ("period's recorded times", PostgreSqlOkrStore.PeriodRecordedSql, [t, ("p", period)]),
            ("events", sql.ReadEvents, [t, ("after", 0L), ("n", 100)]),
            ("stream state", sql.StreamState, [t]),
        };

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand(setup, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        // Reads of the tenant's whole list by design: its periods (a handful), its one event stream row (the key is the tenant).
        var tenantWide = new HashSet<string> { "periods", "period count", "stream state" };
        var scans = new List<string>();
        foreach (var (name, text, parameters) in statements)
        {
            await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + text, connection);
            foreach (var (parameter, value) in parameters)
            {
                explain.Parameters.Add(value is Guid[] ? new NpgsqlParameter(parameter, NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = value } : new NpgsqlParameter(parameter, value));
            }

            var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
            foreach (var scan in Walks(plan.RootElement[0].GetProperty("Plan"), repeated: false, repeatedOnly).Where(w => !tenantWide.Contains(name) || w.StartsWith("Seq Scan", StringComparison.Ordinal)))
            {
                scans.Add($"{name}: {scan}");
            }
        }

        return scans;
    }

    /// <summary>
    /// Sequential scans of OKR tables, and index scans of them whose only condition is the tenant (or none); with
    /// <paramref name="repeatedOnly"/>, only those that run once per row of something else (under a nested loop's inner
    /// side or a subplan).
    /// </summary>
    private static IEnumerable<string> Walks(JsonElement node, bool repeated, bool repeatedOnly)
    {
        var type = node.GetProperty("Node Type").GetString()!;
        var relation = node.TryGetProperty("Relation Name", out var r) ? r.GetString()! : node.TryGetProperty("Index Name", out var i) ? i.GetString()! : "";
        if (relation.StartsWith("okr_", StringComparison.Ordinal) || relation.StartsWith("ix_okr_", StringComparison.Ordinal))
        {
            if (type == "Seq Scan")
            {
                yield return $"Seq Scan on {relation}";
            }
            else if (type is "Index Scan" or "Index Only Scan" or "Bitmap Index Scan" && (repeated || !repeatedOnly))
            {
                var condition = node.TryGetProperty("Index Cond", out var c) ? c.GetString()! : "";
                if (TenantOnly().Replace(condition, "").Trim('(', ')', ' ').Replace("AND", "", StringComparison.Ordinal).Trim(' ', '(', ')').Length == 0)
                {
                    yield return $"{type} on {relation} by the tenant alone{(repeated ? ", once per outer row" : "")} ({(condition.Length == 0 ? "no condition" : condition)})";
                }
            }
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                var link = child.TryGetProperty("Parent Relationship", out var l) ? l.GetString() : null;
                var again = repeated || (type == "Nested Loop" && link == "Inner") || link == "SubPlan";
                foreach (var walk in Walks(child, again, repeatedOnly))
                {
                    yield return walk;
                }
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\(?(\w+\.)?tenant = [^()]+\)?")]
    private static partial System.Text.RegularExpressions.Regex TenantOnly();
}
