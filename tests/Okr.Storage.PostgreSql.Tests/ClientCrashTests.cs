using Npgsql;
using Okr.Testing;
using Xunit.Abstractions;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// A client process writing to PostgreSQL is killed mid-batch, 10 times per mode: after a random number of
/// reported commits, as the next append (a binary COPY of 20 000 check-ins) begins, or once the next import's
/// transaction is open and has written. The server must then hold every batch the client reported committed,
/// whole, and no batch in part: the store's transaction boundaries hold when its process dies. (The server's
/// own durability across a power loss is its configuration's; the test cluster runs with fsync=off.)
/// </summary>
public class ClientCrashTests(ITestOutputHelper output)
{
    [PostgresTheory]
    [InlineData("append", 20_000, "okr_check_ins", "note", "begin ")]
    [InlineData("import", 1000, "okr_objectives", "body::jsonb ->> 'title'", "inside ")]
    public async Task Killing_a_client_mid_batch_leaves_only_whole_batches(string mode, int batchSize, string table, string tagColumn, string killOn)
    {
        var database = TestDatabase.CreateDatabase();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var report = await KilledWriter.PlayAsync("postgresql", database, mode, batchSize, kills: 10, killOn, async () =>
        {
            // The database holds this test's one tenant only.
            var counts = new Dictionary<string, long>();
            await using var command = dataSource.CreateCommand($"SELECT {tagColumn}, count(*) FROM {table} GROUP BY 1");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        });

        output.WriteLine($"{mode}: {report}");
        Assert.Empty(report.PartialBatches);
        Assert.Empty(report.MissingCommits);
        Assert.True(report.Committed.Count >= report.Kills);
        Assert.True(report.InFlightRolledBack >= 1, $"No kill landed inside an open {mode} transaction.");
    }
}

/// <summary>
/// The outbox survives crashes on PostgreSQL: a client recording check-ins and delivering their events is killed at
/// random points (as a write begins, between its commit and the delivery, between a delivery and its acknowledgement,
/// after a dispatch) 24 times. After a restart every committed change's events are delivered, none is lost or
/// invented, and a repeated delivery carries the same event id.
/// </summary>
public class OutboxCrashTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Killing_a_client_between_commit_and_delivery_loses_no_event()
    {
        var database = TestDatabase.CreateDatabase();
        await using var store = new PostgreSqlOkrStore(database);
        var report = await OutboxCrash.PlayAsync(store, "postgresql", database, kills: 24);
        output.WriteLine(report.ToString());
        Assert.Empty(report.CommittedButMissing);
        Assert.Empty(report.Lost);
        Assert.Empty(report.Invented);
        Assert.Empty(report.CheckInsWithoutOneEvent);
        Assert.True(report.Drained);
        Assert.Equal(6, report.KillsOn["committed"]);   // between a commit and its delivery
        Assert.Equal(6, report.KillsOn["handled"]);     // between a delivery and its acknowledgement
        Assert.True(report.Redeliveries >= 1, report.ToString());
    }
}
