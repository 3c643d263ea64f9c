using Microsoft.Data.Sqlite;
using Okr.Core;
using Okr.Core.Storage;

namespace Okr.Storage.Sqlite.Tests;

public class SqliteSchemaTests
{
    [Fact]
    public async Task Opening_creates_the_schema_in_wal_mode_and_records_its_version()
    {
        var cs = TempDatabase.NewConnectionString();
        await new SqliteOkrStore(cs).InitializeAsync();
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(8L, Scalar(connection, "SELECT version FROM okr_schema;"));
        Assert.Equal(4L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('periods', 'objectives', 'key_results', 'check_ins');"));
    }

    [Fact]
    public async Task Opening_twice_migrates_once()
    {
        var cs = TempDatabase.NewConnectionString();
        await new SqliteOkrStore(cs).InitializeAsync();
        await new SqliteOkrStore(cs).InitializeAsync();
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM okr_schema;"));
    }

    [Fact]
    public async Task A_version_7_database_gains_the_in_force_check_ins_columns_filled_from_its_data()
    {
        var cs = TempDatabase.NewConnectionString();
        var seed = await Okr.Testing.MaintainedState.SeedAsync(new SqliteOkrStore(cs));
        await using (var connection = new SqliteConnection(cs))
        {
            await connection.OpenAsync();
            Scalar(connection, string.Concat(new[] { "value", "author_kind", "author_id", "effective_at", "recorded_at", "confidence", "note", "corrects" }
                .Select(c => $"ALTER TABLE key_result_values DROP COLUMN {c}; ")) + "UPDATE okr_schema SET version = 7;");
        }

        SqliteConnection.ClearAllPools();
        Assert.Empty(await seed.DifferencesAsync(new SqliteOkrStore(cs)));
        await using var check = new SqliteConnection(cs);
        await check.OpenAsync();
        Assert.Equal(8L, Scalar(check, "SELECT version FROM okr_schema;"));
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM key_result_values WHERE check_in_id IS NOT NULL AND value IS NULL;"));
    }

    [Fact]
    public async Task A_version_6_database_gains_current_values_and_the_alignment_index_filled_from_its_data()
    {
        var cs = TempDatabase.NewConnectionString();
        var seed = await Okr.Testing.MaintainedState.SeedAsync(new SqliteOkrStore(cs));
        await using (var connection = new SqliteConnection(cs))
        {
            await connection.OpenAsync();
            Scalar(connection, "DROP TABLE key_result_values; DROP TABLE alignments; UPDATE okr_schema SET version = 6;");
        }

        SqliteConnection.ClearAllPools();
        Assert.Empty(await seed.DifferencesAsync(new SqliteOkrStore(cs)));
        await using var check = new SqliteConnection(cs);
        await check.OpenAsync();
        Assert.Equal(8L, Scalar(check, "SELECT version FROM okr_schema;"));
        Assert.Equal(4L, Scalar(check, "SELECT count(*) FROM alignments;"));
    }

    [Fact]
    public async Task A_version_1_database_gains_the_audit_trail_and_the_later_indexes_and_keeps_its_data()
    {
        var cs = TempDatabase.NewConnectionString();
        var tenant = new TenantId(Guid.NewGuid());
        var clock = new NodaTime.Testing.FakeClock(NodaTime.Instant.FromUtc(2026, 1, 5, 9, 0));
        var v1 = await new SqliteOkrStore(cs).SaveObjectiveAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), new PeriodId(Guid.NewGuid()), "Before the upgrade", OwnerRef.Team("t"), clock), 0);
        var period = await new SqliteOkrStore(cs).SavePeriodAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1), 0);
        await using (var connection = new SqliteConnection(cs))
        {
            // Back to what version 1 of the schema was: no history tables, no period audit columns, the first corrections index.
            await connection.OpenAsync();
            Scalar(connection, "DROP TABLE key_result_values; DROP TABLE alignments; DROP TABLE events; DROP TABLE event_streams; DROP TABLE objective_history; DROP TABLE period_history; ALTER TABLE periods DROP COLUMN updated_by_kind; ALTER TABLE periods DROP COLUMN updated_by_id; ALTER TABLE periods DROP COLUMN updated_at; ALTER TABLE periods DROP COLUMN version; DROP INDEX ix_check_ins_corrects; CREATE INDEX ix_check_ins_corrects ON check_ins (tenant, corrects) WHERE corrects IS NOT NULL; UPDATE okr_schema SET version = 1;");
        }

        SqliteConnection.ClearAllPools();
        var store = new SqliteOkrStore(cs);
        var v2 = await store.SaveObjectiveAsync(tenant, v1.WithTitle("After the upgrade", clock), 1);

        Assert.Equal([v1, v2], await store.ListObjectiveHistoryAsync(tenant, v1.Id).ToListAsync());

        // Version 5: a period stored before versions existed reads as version 1, and saves over it.
        Assert.Equal(period, await store.GetPeriodAsync(tenant, period.Id));
        Assert.Equal(2, (await store.SavePeriodAsync(tenant, period.Activate(clock), 1)).Version);
        await using var check = new SqliteConnection(cs);
        await check.OpenAsync();
        Assert.Equal(8L, Scalar(check, "SELECT version FROM okr_schema;"));

        // Version 4: the corrections index serves the as-of read's "is it corrected?" question whole.
        Assert.Equal(4L, Scalar(check, "SELECT count(*) FROM pragma_index_info('ix_check_ins_corrects');"));
        Assert.Equal("kr_id", Scalar(check, "SELECT name FROM pragma_index_info('ix_check_ins_corrects') WHERE seqno = 2;"));
    }

    [Fact]
    public async Task A_database_from_a_newer_version_is_refused()
    {
        var cs = TempDatabase.NewConnectionString();
        await new SqliteOkrStore(cs).InitializeAsync();
        await using (var connection = new SqliteConnection(cs))
        {
            await connection.OpenAsync();
            Scalar(connection, "UPDATE okr_schema SET version = 99;");
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteOkrStore(cs).InitializeAsync());
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_query_has_an_index()
    {
        var cs = TempDatabase.NewConnectionString();
        await new SqliteOkrStore(cs).InitializeAsync();
        using var connection = new SqliteConnection(cs);
        connection.Open();
        foreach (var sql in new[]
        {
            "SELECT * FROM check_ins WHERE tenant = 'x' AND kr_id = 'k' ORDER BY effective_at, recorded_at, id",
            "SELECT 1 FROM check_ins d WHERE d.tenant = 'x' AND d.corrects = 'c'",
            "SELECT objective_id FROM key_results WHERE tenant = 'x' AND id = 'k'",
            "SELECT h.seq, h.body FROM objective_history h WHERE h.tenant = 'x' AND h.id = 'o' ORDER BY h.seq",
            "SELECT h.seq, h.name FROM period_history h WHERE h.tenant = 'x' AND h.id = 'p' ORDER BY h.seq",
        })
        {
            AssertIndexed(connection, sql, tenantWalkAllowed: false);
        }

        // The store's own statements, as it runs them (parameters bound; json_each is the list of ids asked for).
        var period = new PeriodId(Guid.NewGuid());
        foreach (var query in new[]
        {
            new ObjectiveQuery { Period = period },
            new ObjectiveQuery { Period = period, State = ObjectiveState.Active, Limit = 10, After = new ObjectiveId(Guid.NewGuid()) },
            new ObjectiveQuery { Owner = OwnerRef.Team("t") },
            new ObjectiveQuery { Owner = OwnerRef.Team("t"), State = ObjectiveState.Draft },
            new ObjectiveQuery { State = ObjectiveState.Closed, Limit = 5 },
        })
        {
            // A listing may walk the tenant's primary key in id order (see ListObjectivesSql): allowed here.
            AssertIndexed(connection, SqliteOkrStore.ListObjectivesSql(query), tenantWalkAllowed: true, ("$t", "x"), ("$period", period.ToString()), ("$ok", 1L), ("$oid", "t"), ("$state", 1L), ("$after", "a"), ("$limit", 10L));
        }

        AssertIndexed(connection, SqliteOkrStore.ValuesAsOfSql, tenantWalkAllowed: false, ("$t", "x"), ("$krs", "[\"k1\",\"k2\"]"), ("$at", 1L), ("$known", 2L));
        AssertIndexed(connection, SqliteOkrStore.ValuesAsOfSql, tenantWalkAllowed: false, ("$t", "x"), ("$krs", "[\"k1\",\"k2\"]"), ("$at", 1L), ("$known", DBNull.Value));
        AssertIndexed(connection, SqliteOkrStore.FindObjectivesSql, tenantWalkAllowed: false, ("$t", "x"), ("$krs", "[\"k1\",\"k2\"]"));
        AssertIndexed(connection, SqliteOkrStore.PeriodContentSql, tenantWalkAllowed: false, ("$t", "x"), ("$p", period.ToString()));
        AssertIndexed(connection, SqliteOkrStore.CountCheckInsSql, tenantWalkAllowed: false, ("$t", "x"), ("$kr", "k1"));
        AssertIndexed(connection, SqliteOkrStore.PeriodRecordedSql, tenantWalkAllowed: false, ("$t", "x"), ("$p", period.ToString()));
        AssertIndexed(connection, SqliteOkrStore.ObjectivesByIdSql, tenantWalkAllowed: false, ("$t", "x"), ("$ids", "[\"o1\",\"o2\"]"));
        AssertIndexed(connection, SqliteOkrStore.CurrentValuesSql, tenantWalkAllowed: false, ("$t", "x"), ("$krs", "[\"k1\",\"k2\"]"));
        AssertIndexed(connection, SqliteOkrStore.HistoriesSql, tenantWalkAllowed: false, ("$t", "x"), ("$krs", "[\"k1\",\"k2\"]"));
        AssertIndexed(connection, SqliteOkrStore.RefreshValuesSql, tenantWalkAllowed: false, ("$t", "x"), ("$krs", "[\"k1\",\"k2\"]"));
        AssertIndexed(connection, SqliteOkrStore.SubtreesSql, tenantWalkAllowed: false, ("$t", "x"), ("$p", period.ToString()), ("$roots", "[\"o1\",\"o2\"]"));
        AssertIndexed(connection, SqliteOkrStore.AlignedUnderSql, tenantWalkAllowed: false, ("$t", "x"), ("$periods", "[\"p1\",\"p2\"]"), ("$parents", "[\"o1\",\"o2\"]"));
    }

    private static void AssertIndexed(SqliteConnection connection, string sql, bool tenantWalkAllowed, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(reader.GetString(3));
            }
        }

        var plan = string.Join(" | ", rows);
        // json_each (the list of ids a statement is given) is the one thing read whole. A plan that reads it once
        // per row of a table also searches that table by tenant only, which the next check refuses.
        // A recursive statement's queue ("sub", the subtree found so far) is read row by row, as it must be.
        var scans = rows.Where(r => r.StartsWith("SCAN", StringComparison.Ordinal) && r is not "SCAN CONSTANT ROW" and not "SCAN sub" && !r.Contains("VIRTUAL TABLE", StringComparison.Ordinal));
        Assert.True(!scans.Any(), $"A table is scanned: {plan}");

        // A search on the tenant alone reads the tenant's whole table: as bad as a scan once a tenant is large.
        Assert.True(tenantWalkAllowed || !rows.Any(r => r.EndsWith("(tenant=?)", StringComparison.Ordinal)), $"A search uses the tenant only: {plan} in {sql}");
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public void Statistics_are_refreshed_after_writes_of_a_thousand_rows_by_default_and_the_threshold_is_checked()
    {
        Assert.Equal(1000, new SqliteOkrStoreOptions().AnalyzeThreshold);
        Assert.Equal("AnalyzeThreshold", Assert.Single(Assert.Throws<OkrValidationException>(() => new SqliteOkrStoreOptions { AnalyzeThreshold = 0 }.Validate()).Violations).Member);
        new SqliteOkrStoreOptions { AnalyzeThreshold = null }.Validate();
    }

    [Fact]
    public async Task An_import_at_the_threshold_leaves_the_planner_statistics()
    {
        var cs = TempDatabase.NewConnectionString();
        var store = new SqliteOkrStore(new SqliteOkrStoreOptions { ConnectionString = cs, AnalyzeThreshold = 50 });
        var seed = await Okr.Testing.MaintainedState.SeedAsync(new SqliteOkrStore(new SqliteOkrStoreOptions { ConnectionString = cs, AnalyzeThreshold = null }));
        await using (var before = new SqliteConnection(cs))
        {
            await before.OpenAsync();
            Assert.Equal(0L, Scalar(before, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"));
        }

        var checkIns = Enumerable.Range(0, 60).Select(i => new CheckIn(new CheckInId(Guid.NewGuid()), seed.Objectives[0].KeyResults[0].Id, i, OwnerRef.Person("p"), NodaTime.Instant.FromUtc(2026, 1, 6, 9, 0), NodaTime.Instant.FromUtc(2026, 1, 6, 9, 0))).ToList();
        await store.ImportAsync(seed.Tenant, new Okr.Core.Serialization.OkrDocument(seed.Tenant, [], [], checkIns));
        SqliteConnection.ClearAllPools();
        await using var after = new SqliteConnection(cs);
        await after.OpenAsync();
        Assert.True((long)Scalar(after, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")! == 1, "PRAGMA optimize left no statistics.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Mode=Memory;Data Source=x")]
    [InlineData("Nonsense Key=1")]
    public void Bad_connection_strings_are_rejected_with_the_member_named(string connectionString)
    {
        var ex = Assert.Throws<OkrValidationException>(() => new SqliteOkrStore(connectionString));
        Assert.Equal("ConnectionString", Assert.Single(ex.Violations).Member);
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
