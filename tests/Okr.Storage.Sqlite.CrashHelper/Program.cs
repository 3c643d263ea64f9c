// Writes to a SQLite store in a loop until killed. For each write it prints "begin TAG" before the call,
// "inside TAG" once the import's transaction is open and has written (imports only), and "committed TAG"
// after the call returns, so the test can kill it at a known point: before, inside or after a transaction.
// Usage: Okr.Storage.Sqlite.CrashHelper <database file> <append|import> <tenant> <batch size>
using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Okr.Storage.Sqlite;

var (file, mode, tenant, size) = (args[0], args[1], TenantId.Parse(args[2]), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
var store = new SqliteOkrStore($"Data Source={file}");
await store.InitializeAsync();
var start = Instant.FromUtc(2026, 1, 5, 9, 0);
var author = OwnerRef.Person("crash-test");
for (var batch = 1; ; batch++)
{
    // Every write is tagged with its batch number, so the test can tell whole batches from partial ones.
    var tag = $"{Environment.ProcessId}-{batch}";
    Say($"begin {tag}");
    if (mode == "append")
    {
        var kr = new KeyResultId(Guid.CreateVersion7());
        var checkIns = Enumerable.Range(0, size)
            .Select(i => new CheckIn(new CheckInId(Guid.CreateVersion7()), kr, i, author, start + Duration.FromMinutes(i), start + Duration.FromMinutes(i), note: tag))
            .ToList();
        await store.AppendCheckInsAsync(tenant, checkIns);
    }
    else
    {
        var period = new OkrPeriod(new PeriodId(Guid.CreateVersion7()), tag, new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)));
        var objectives = Enumerable.Range(0, size).Select(i => Objective.Create(
            new ObjectiveId(Guid.CreateVersion7()), period.Id, tag, author, NodaTime.SystemClock.Instance,
            keyResults: [new KeyResult(new KeyResultId(Guid.CreateVersion7()), "KR", new MilestoneMeasure())])).ToList();
        // Reported synchronously on the writing thread, after the periods are written and before the objectives.
        var inside = new Inside(stage => { if (stage == "periods") { Say($"inside {tag}"); } });
        await store.ImportAsync(tenant, new OkrDocument(tenant, [period], objectives, []), inside);
    }

    Say($"committed {tag}");
}

static void Say(string line)
{
    Console.WriteLine(line);
    Console.Out.Flush();
}

internal sealed class Inside(Action<string> onStage) : IProgress<ImportProgress>
{
    public void Report(ImportProgress value) => onStage(value.Stage);
}
