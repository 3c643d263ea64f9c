using Npgsql;
using NodaTime;
using Okr.Core;
using Okr.Core.Storage;

namespace Okr.Storage.PostgreSql.Tests;

public class PostgreSqlStressTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);

    [PostgresFact]
    public async Task Eight_writers_append_a_thousand_check_ins_each_to_shared_key_results_and_nothing_is_lost_or_duplicated()
    {
        var store = TestDatabase.Store;
        var tenant = new TenantId(Guid.NewGuid());
        var krs = Enumerable.Range(0, 10).Select(_ => new KeyResultId(Guid.NewGuid())).ToArray();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = Enumerable.Range(0, 1000)
                .Select(i => new CheckIn(new CheckInId(Guid.NewGuid()), krs[(w + i) % krs.Length], (w * 1000) + i, OwnerRef.Person($"writer-{w}"), Start + Duration.FromSeconds(i), Start + Duration.FromSeconds(i)))
                .ToList();

            // Singles, small batches (INSERT) and large batches (COPY), and every batch sent twice as a client retry would.
            var sent = 0;
            var size = 1;
            while (sent < mine.Count)
            {
                var batch = mine.Skip(sent).Take(size).ToList();
                await store.AppendCheckInsAsync(tenant, batch);
                await store.AppendCheckInsAsync(tenant, batch);
                sent += batch.Count;
                size = size switch { 1 => 7, 7 => 64, _ => 1 };
            }

            return mine;
        })).ToList();
        var written = (await Task.WhenAll(writers)).SelectMany(x => x).ToList();

        var stored = new List<CheckIn>();
        foreach (var kr in krs)
        {
            await foreach (var c in store.GetHistoryAsync(tenant, kr))
            {
                stored.Add(c);
            }
        }

        Assert.Equal(8000, stored.Count);
        Assert.Equal(8000, stored.Select(c => c.Id).Distinct().Count());
        Assert.Equal(written.OrderBy(c => c.Id), stored.OrderBy(c => c.Id));
    }

    [PostgresFact]
    public async Task Concurrent_edits_of_one_objective_version_let_exactly_one_win_every_round()
    {
        var store = TestDatabase.Store;
        var tenant = new TenantId(Guid.NewGuid());
        var objective = Objective.Create(new ObjectiveId(Guid.NewGuid()), new PeriodId(Guid.NewGuid()), "Contended", OwnerRef.Team("t"), NodaTime.Testing.FakeClock.FromUtc(2026, 1, 5), keyResults: [new KeyResult(new KeyResultId(Guid.NewGuid()), "KR", new MilestoneMeasure())]);
        var current = await store.SaveObjectiveAsync(tenant, objective, 0);
        for (var round = 0; round < 10; round++)
        {
            var version = current.Version;
            var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                try
                {
                    var edited = new Objective(current.Id, current.PeriodId, $"Round {round} writer {i}", "", current.Owner, current.Kind, current.State, current.Visibility, current.KeyResults, [], version, current.CreatedAt, current.UpdatedAt, null);
                    return await store.SaveObjectiveAsync(tenant, edited, version);
                }
                catch (OkrConcurrencyException)
                {
                    return null;
                }
            })).ToList();
            var winners = (await Task.WhenAll(attempts)).Where(o => o is not null).ToList();
            Assert.Single(winners);
            current = (await store.GetObjectiveAsync(tenant, objective.Id))!;
            Assert.Equal((version + 1, winners[0]!.Title), (current.Version, current.Title));
        }
    }

    [PostgresFact]
    public async Task Many_instances_starting_at_once_migrate_the_schema_exactly_once()
    {
        var database = TestDatabase.CreateDatabase();
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgreSqlOkrStore(database)).ToList();
        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync())));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), max(version) FROM okr_schema", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((1L, 8), (reader.GetInt64(0), reader.GetInt32(1)));
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_version_1_database_gains_the_audit_trail_and_keeps_its_data()
    {
        var database = TestDatabase.CreateDatabase();
        var tenant = new TenantId(Guid.NewGuid());
        var clock = new NodaTime.Testing.FakeClock(Start);
        Objective v1;
        await using (var first = new PostgreSqlOkrStore(database))
        {
            v1 = await first.SaveObjectiveAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), new PeriodId(Guid.NewGuid()), "Before the upgrade", OwnerRef.Team("t"), clock), 0);
        }

        await using (var connection = new NpgsqlConnection(database))
        {
            // Back to what version 1 of the schema was: no history tables, no period audit columns.
            await connection.OpenAsync();
            await using var downgrade = new NpgsqlCommand("DROP TABLE okr_key_result_values; DROP TABLE okr_alignments; DROP TABLE okr_events; DROP TABLE okr_event_streams; DROP TABLE okr_objective_history; DROP TABLE okr_period_history; ALTER TABLE okr_periods DROP COLUMN updated_by_kind, DROP COLUMN updated_by_id, DROP COLUMN updated_at, DROP COLUMN version; UPDATE okr_schema SET version = 1;", connection);
            await downgrade.ExecuteNonQueryAsync();
        }

        await using var store = new PostgreSqlOkrStore(database);
        var v2 = await store.SaveObjectiveAsync(tenant, v1.WithTitle("After the upgrade", clock), 1);

        Assert.Equal([v1, v2], await store.ListObjectiveHistoryAsync(tenant, v1.Id).ToListAsync());
    }

    [PostgresFact]
    public async Task A_version_7_database_gains_the_in_force_check_ins_columns_filled_from_its_data() =>
        Assert.Equal((8, 0L), await MigrateSeededAsync(
            "ALTER TABLE okr_key_result_values DROP COLUMN value, DROP COLUMN author_kind, DROP COLUMN author_id, DROP COLUMN effective_at, DROP COLUMN recorded_at, DROP COLUMN confidence, DROP COLUMN note, DROP COLUMN corrects; UPDATE okr_schema SET version = 7;",
            "SELECT count(*) FROM okr_key_result_values WHERE check_in_id IS NOT NULL AND value IS NULL"));

    [PostgresFact]
    public async Task A_version_6_database_gains_current_values_and_the_alignment_index_filled_from_its_data() =>
        Assert.Equal((8, 4L), await MigrateSeededAsync(
            "DROP TABLE okr_key_result_values; DROP TABLE okr_alignments; UPDATE okr_schema SET version = 6;",
            "SELECT count(*) FROM okr_alignments"));

    /// <summary>
    /// Seeds maintained state, takes the database back to an older schema with <paramref name="downgrade"/>, opens it
    /// with the store (which migrates it) and checks the maintained state against the seed; returns the schema version
    /// then and what <paramref name="count"/> counts.
    /// </summary>
    private static async Task<(int Version, long Count)> MigrateSeededAsync(string downgrade, string count)
    {
        var database = TestDatabase.CreateDatabase();
        Okr.Testing.MaintainedState seed;
        await using (var store = new PostgreSqlOkrStore(database))
        {
            seed = await Okr.Testing.MaintainedState.SeedAsync(store);
        }

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var back = new NpgsqlCommand(downgrade, connection);
            await back.ExecuteNonQueryAsync();
        }

        await using (var upgraded = new PostgreSqlOkrStore(database))
        {
            Assert.Empty(await seed.DifferencesAsync(upgraded));
        }

        await using var check = new NpgsqlConnection(database);
        await check.OpenAsync();
        await using var read = new NpgsqlCommand($"SELECT (SELECT max(version) FROM okr_schema), ({count})", check);
        await using var reader = await read.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt64(1));
    }

    [PostgresFact]
    public async Task Every_key_and_index_starts_with_the_tenant()
    {
        var database = TestDatabase.CreateDatabase();
        await using (var store = new PostgreSqlOkrStore(database))
        {
            await store.InitializeAsync();
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        const string sql = """
            SELECT i.relname, a.attname FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
            WHERE t.relname LIKE 'okr\_%' AND t.relname <> 'okr_schema'
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var count = 0;
        while (await reader.ReadAsync())
        {
            count++;
            Assert.True(reader.GetString(1) == "tenant", $"Index {reader.GetString(0)} starts with {reader.GetString(1)}.");
        }

        Assert.Equal(18, count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Nonsense Key=1")]
    public void Bad_connection_strings_are_rejected_with_the_member_named(string connectionString) =>
        Assert.Equal("ConnectionString", Assert.Single(Assert.Throws<OkrValidationException>(() => new PostgreSqlOkrStore(connectionString)).Violations).Member);
}
