using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>Listing objectives reads rows ahead in chunks on another task; these pin what that must not change.</summary>
public class ReadAheadTests
{
    private static readonly TenantId Tenant = new(Guid.NewGuid());

    private static async Task<(SqliteOkrStore Store, string ConnectionString, PeriodId Period, List<ObjectiveId> Ids)> StoreWith(int count)
    {
        var cs = TempDatabase.NewConnectionString();
        var store = new SqliteOkrStore(cs);
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var period = new OkrPeriod(new PeriodId(Guid.NewGuid()), "Q1", new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)));
        var objectives = Enumerable.Range(0, count)
            .Select(i => Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, $"Objective {i}", OwnerRef.Team("t"), clock,
                keyResults: [new KeyResult(new KeyResultId(Guid.NewGuid()), "KR", new IncreaseMeasure(0, 10))]))
            .ToList();
        await store.ImportAsync(Tenant, new OkrDocument(Tenant, [period], objectives, []));
        return (store, cs, period.Id, [.. objectives.Select(o => o.Id).Order()]);
    }

    [Fact]
    public async Task Lists_every_row_in_order_across_chunk_boundaries()
    {
        var (store, _, period, ids) = await StoreWith(1_000);

        var listed = await store.ListObjectivesAsync(Tenant, new ObjectiveQuery { Period = period }).Select(o => o.Id).ToListAsync();

        Assert.Equal(ids, listed);
    }

    [Fact]
    public async Task Stopping_early_releases_the_reader()
    {
        var (store, cs, period, ids) = await StoreWith(1_500);

        await foreach (var objective in store.ListObjectivesAsync(Tenant, new ObjectiveQuery { Period = period }))
        {
            Assert.Equal(ids[0], objective.Id);
            break;
        }

        // A checkpoint that must wait for no reader: it can only truncate the log if no read is still open.
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var result = await command.ExecuteReaderAsync();
        Assert.True(await result.ReadAsync());
        Assert.Equal(0L, result.GetInt64(0));
    }

    [Fact]
    public async Task Cancelling_mid_listing_throws_and_stops()
    {
        var (store, _, period, _) = await StoreWith(1_000);
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var objective in store.ListObjectivesAsync(Tenant, new ObjectiveQuery { Period = period }, cancel.Token))
            {
                if (++seen == 300)
                {
                    await cancel.CancelAsync();
                }
            }
        });
        Assert.InRange(seen, 300, 999);
    }

    [Fact]
    public async Task A_corrupt_row_fails_the_listing_with_a_format_error()
    {
        var (store, cs, period, ids) = await StoreWith(600);
        await using (var connection = new SqliteConnection(cs))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE objectives SET body = '{\"id\": 1}' WHERE id = $id";
            command.Parameters.AddWithValue("$id", ids[400].ToString());
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var seen = 0;
        await Assert.ThrowsAsync<OkrFormatException>(async () =>
        {
            await foreach (var objective in store.ListObjectivesAsync(Tenant, new ObjectiveQuery { Period = period }))
            {
                seen++;
            }
        });
        Assert.Equal(400, seen);
    }
}
