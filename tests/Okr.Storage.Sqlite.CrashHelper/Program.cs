// Writes to a SQLite store in a loop, printing "committed N" after each committed write, until killed.
// Usage: Okr.Storage.Sqlite.CrashHelper <database file> <append|import> <tenant>
using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Storage.Sqlite;

var (file, mode, tenant) = (args[0], args[1], TenantId.Parse(args[2]));
var store = new SqliteOkrStore($"Data Source={file}");
await store.InitializeAsync();
var start = Instant.FromUtc(2026, 1, 5, 9, 0);
var author = OwnerRef.Person("crash-test");
for (var batch = 1; ; batch++)
{
    // Every write is tagged with its batch number, so the test can tell whole batches from partial ones.
    var tag = $"{Environment.ProcessId}-{batch}";
    if (mode == "append")
    {
        var kr = new KeyResultId(Guid.CreateVersion7());
        var checkIns = Enumerable.Range(0, CrashBatch.Size)
            .Select(i => new CheckIn(new CheckInId(Guid.CreateVersion7()), kr, i, author, start + Duration.FromMinutes(i), start + Duration.FromMinutes(i), note: tag))
            .ToList();
        await store.AppendCheckInsAsync(tenant, checkIns);
    }
    else
    {
        var period = new OkrPeriod(new PeriodId(Guid.CreateVersion7()), tag, new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)));
        var objectives = Enumerable.Range(0, CrashBatch.Size).Select(i => Objective.Create(
            new ObjectiveId(Guid.CreateVersion7()), period.Id, tag, author, NodaTime.SystemClock.Instance,
            keyResults: [new KeyResult(new KeyResultId(Guid.CreateVersion7()), "KR", new MilestoneMeasure())])).ToList();
        await store.ImportAsync(tenant, new OkrDocument(tenant, [period], objectives, []));
    }

    Console.WriteLine($"committed {tag}");
    Console.Out.Flush();
}

internal static class CrashBatch
{
    public const int Size = 200;
}
