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
    private const int Kills = 10;

    [PostgresTheory]
    [InlineData("append", 20_000, "okr_check_ins", "note", "begin ")]
    [InlineData("import", 200, "okr_objectives", "body::jsonb ->> 'title'", "inside ")]
    public async Task Killing_a_client_mid_batch_leaves_only_whole_batches(string mode, int batchSize, string table, string tagColumn, string killOn)
    {
        var database = TestDatabase.CreateDatabase();
        var tenant = Guid.CreateVersion7().ToString();
        var random = new Random(20261125);
        var reported = new HashSet<string>();
        var inFlightLost = 0;
        await using var dataSource = NpgsqlDataSource.Create(database);
        for (var kill = 0; kill < Kills; kill++)
        {
            var (committed, inFlight) = await KilledWriter.RunAsync("postgresql", database, mode, tenant, batchSize, random.Next(1, 4), killOn);
            reported.UnionWith(committed);

            var counts = new Dictionary<string, long>();
            await using (var command = dataSource.CreateCommand($"SELECT {tagColumn}, count(*) FROM {table} WHERE tenant = $1 GROUP BY 1"))
            {
                command.Parameters.AddWithValue(Guid.Parse(tenant));
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    counts[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            Assert.All(counts, c => Assert.Equal(batchSize, c.Value));   // no partial batch, the one in flight included
            Assert.All(reported, tag => Assert.True(counts.ContainsKey(tag), $"Batch {tag} was reported committed but is missing."));
            if (!counts.ContainsKey(inFlight))
            {
                inFlightLost++;
            }
        }

        output.WriteLine($"{mode}: {Kills} kills, {reported.Count} reported commits, {inFlightLost} in-flight batches rolled back whole");
        Assert.True(reported.Count >= Kills);
        Assert.True(inFlightLost >= 1, $"No kill landed inside an open {mode} transaction.");
    }
}
