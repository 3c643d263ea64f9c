using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>
/// A child process writes batches in a loop and is killed at random points (after a random number of
/// commits, usually in the middle of the next write). After each kill the file must reopen with
/// <c>PRAGMA integrity_check</c> ok, every batch the child reported committed must be whole, and no
/// batch may be partly present.
/// </summary>
public class CrashConsistencyTests
{
    private const int BatchSize = 200;
    private const int Kills = 10;

    [Theory]
    [InlineData("append", "check_ins", "note")]
    [InlineData("import", "objectives", "json_extract(body, '$.title')")]
    public async Task Killing_a_writer_mid_batch_leaves_only_whole_batches(string mode, string table, string tagColumn)
    {
        var file = Path.Combine(Path.GetTempPath(), $"okr-crash-{Guid.NewGuid():N}.db");
        var tenant = Guid.CreateVersion7().ToString();
        var random = new Random(20261125);
        var reported = new HashSet<string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            using var child = Start(file, mode, tenant);
            var waitFor = random.Next(1, 4);
            for (var seen = 0; seen < waitFor;)
            {
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                if (line is null)
                {
                    Assert.Fail("The writer exited before it was killed: " + await child.StandardError.ReadToEndAsync());
                }

                if (line.StartsWith("committed ", StringComparison.Ordinal))
                {
                    reported.Add(line["committed ".Length..]);
                    seen++;
                }
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();

            SqliteConnection.ClearAllPools();
            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            Assert.Equal("ok", await Scalar(connection, "PRAGMA integrity_check;"));
            var counts = new Dictionary<string, long>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT {tagColumn}, count(*) FROM {table} GROUP BY 1";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    counts[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            Assert.All(counts, c => Assert.Equal(BatchSize, c.Value));   // no partial batch
            Assert.All(reported, tag => Assert.True(counts.ContainsKey(tag), $"Batch {tag} was reported committed but is missing."));
        }

        Assert.True(reported.Count >= Kills);
    }

    private static Process Start(string file, string mode, string tenant)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Okr.Storage.Sqlite.CrashHelper.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { helper, file, mode, tenant })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the writer process.");
    }

    private static async Task<string?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
