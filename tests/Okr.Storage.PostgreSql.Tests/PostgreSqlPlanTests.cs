using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Okr.Core;
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

            for (var i = 0; i < 20; i++)
            {
                var other = new TenantId(Guid.NewGuid());
                await store.ImportAsync(other, FreshImportTests.Document(other, 60));
            }
        }

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
            ("current values", sql.CurrentValues, [t, ("krs", krs)]),
            ("histories", sql.Histories, [t, ("krs", krs)]),
            ("refresh values", sql.RefreshValues, [t, ("krs", krs)]),
            ("subtrees", PostgreSqlOkrStore.SubtreesSql, [t, ("p", period), ("roots", ids)]),
            ("objectives by key results", sql.FindObjectivesByKeyResults, [t, ("krs", krs)]),
            ("objectives by id", sql.ObjectivesById, [t, ("ids", ids)]),
            ("period content", sql.PeriodContent, [t, ("p", period)]),
            ("check-in history", sql.CheckInHistory, [t, ("kr", krs[0])]),
            ("check-in", sql.GetCheckIn, [t, ("id", document.CheckIns[0].Id.Value)]),
            ("objective", sql.GetObjective, [t, ("id", objective.Id.Value)]),
            ("objective by key result", sql.FindObjectiveByKeyResult, [t, ("kr", krs[0])]),
            ("objective history", sql.ObjectiveHistory, [t, ("id", objective.Id.Value)]),
            ("period", sql.GetPeriod, [t, ("id", period)]),
            ("periods", sql.ListPeriods, [t]),
            ("period history", sql.PeriodHistory, [t, ("id", period)]),
            ("period's check-ins", sql.ExportPeriodCheckIns, [t, ("p", period)]),
            ("events", sql.ReadEvents, [t, ("after", 0L), ("n", 100)]),
            ("stream state", sql.StreamState, [t]),
        };

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var setup = new NpgsqlCommand("ANALYZE; SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off;", connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        // Reads of the tenant's whole list by design: its periods (a handful), its one event stream row (the key is the tenant).
        var tenantWide = new HashSet<string> { "periods", "stream state" };
        var scans = new List<string>();
        foreach (var (name, text, parameters) in statements)
        {
            await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + text, connection);
            foreach (var (parameter, value) in parameters)
            {
                explain.Parameters.Add(value is Guid[] ? new NpgsqlParameter(parameter, NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = value } : new NpgsqlParameter(parameter, value));
            }

            var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
            foreach (var scan in Walks(plan.RootElement[0].GetProperty("Plan")).Where(w => !tenantWide.Contains(name) || w.StartsWith("Seq Scan", StringComparison.Ordinal)))
            {
                scans.Add($"{name}: {scan}");
            }
        }

        Assert.True(scans.Count == 0, string.Join("\n", scans));
    }

    /// <summary>Sequential scans of OKR tables, and index scans of them whose only condition is the tenant (or none).</summary>
    private static IEnumerable<string> Walks(JsonElement node)
    {
        var type = node.GetProperty("Node Type").GetString()!;
        var relation = node.TryGetProperty("Relation Name", out var r) ? r.GetString()! : node.TryGetProperty("Index Name", out var i) ? i.GetString()! : "";
        if (relation.StartsWith("okr_", StringComparison.Ordinal) || relation.StartsWith("ix_okr_", StringComparison.Ordinal))
        {
            if (type == "Seq Scan")
            {
                yield return $"Seq Scan on {relation}";
            }
            else if (type is "Index Scan" or "Index Only Scan" or "Bitmap Index Scan")
            {
                var condition = node.TryGetProperty("Index Cond", out var c) ? c.GetString()! : "";
                if (TenantOnly().Replace(condition, "").Trim('(', ')', ' ').Replace("AND", "", StringComparison.Ordinal).Trim(' ', '(', ')').Length == 0)
                {
                    yield return $"{type} on {relation} by the tenant alone ({(condition.Length == 0 ? "no condition" : condition)})";
                }
            }
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                foreach (var walk in Walks(child))
                {
                    yield return walk;
                }
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\(?(\w+\.)?tenant = [^()]+\)?")]
    private static partial System.Text.RegularExpressions.Regex TenantOnly();
}
