using Microsoft.Data.Sqlite;
using Okr.Testing;
using Xunit.Abstractions;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>
/// A child process writes batches in a loop and is killed at random points: after a random number of
/// reported commits, just as it starts the next write (appends) or once the next import's transaction is
/// open and has written (imports). After each kill the file must reopen with <c>PRAGMA integrity_check</c>
/// ok, every batch the child reported committed must be whole, the batch in flight must be whole or absent,
/// and no batch may be partly present. The test also shows that kills did land inside open transactions.
/// </summary>
public class CrashConsistencyTests(ITestOutputHelper output)
{
    [Theory]
    // An append of 200 check-ins commits within the time a kill takes to arrive, so appends are killed on
    // "begin" of a batch large enough to still be writing; imports are killed inside their transaction.
    [InlineData("append", 20_000, "check_ins", "note", "begin ")]
    [InlineData("import", 200, "objectives", "json_extract(body, '$.title')", "inside ")]
    public async Task Killing_a_writer_mid_batch_leaves_only_whole_batches(string mode, int batchSize, string table, string tagColumn, string killOn)
    {
        var file = Path.Combine(Path.GetTempPath(), $"okr-crash-{Guid.NewGuid():N}.db");
        var report = await KilledWriter.PlayAsync("sqlite", $"Data Source={file}", mode, batchSize, kills: 10, killOn, async () =>
        {
            SqliteConnection.ClearAllPools();
            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", await check.ExecuteScalarAsync());

            var counts = new Dictionary<string, long>();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {tagColumn}, count(*) FROM {table} GROUP BY 1";
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

        // The kills interrupted real transactions: at least one batch in flight was rolled back whole
        // (the others had committed before the signal arrived, which is also allowed).
        Assert.True(report.InFlightRolledBack >= 1, $"No kill landed inside an open {mode} transaction.");
    }
}

/// <summary>
/// The outbox survives crashes: a writer recording check-ins and delivering their events is killed at random points
/// (as a write begins, between its commit and the delivery, between a delivery and its acknowledgement, after a
/// dispatch) 24 times. After a restart every committed change's events are delivered, none is lost or invented, and a
/// repeated delivery carries the same event id.
/// </summary>
public class OutboxCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_a_writer_between_commit_and_delivery_loses_no_event()
    {
        var connectionString = $"Data Source={Path.Combine(Path.GetTempPath(), $"okr-outbox-crash-{Guid.NewGuid():N}.db")}";
        var store = new SqliteOkrStore(connectionString);
        var report = await OutboxCrash.PlayAsync(store, "sqlite", connectionString, kills: 24);
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
