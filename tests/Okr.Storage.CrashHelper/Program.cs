// Two jobs, as a second OS process beside the tests:
// - Crash writer: writes to a SQLite or PostgreSQL store in a loop until killed. For each write it prints "begin TAG"
//   before the call, "inside TAG" once the import's transaction is open and has written (imports only), and
//   "committed TAG" after the call returns, so the test can kill it at a known point.
//   Usage: Okr.Storage.CrashHelper <sqlite|postgresql> <connection string> <append|import> <tenant> <batch size>
// - Events: records check-ins through the facade and dispatches their events to a delivery log until killed (Events.cs).
//   Usage: Okr.Storage.CrashHelper <sqlite|postgresql> <connection string> events <tenant> <key result> <log file>
// - Racer: makes one facade call (record a check-in, close a period, align two objectives), holds it at the store's
//   commit after it has read and decided, prints "decided", waits for "go" on its input, then commits and prints
//   "committed" or "lost EXCEPTION-TYPE". The test runs the competing write in its own process in between.
//   Usage: Okr.Storage.CrashHelper <sqlite|postgresql|ef-sqlite|ef-postgresql> <connection string> race <tenant>
//          <record KR|close PERIOD|align CHILD PARENT|create-period ID|archive PERIOD|activate OBJECTIVE>
using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Okr.Storage.EntityFrameworkCore;
using Okr.Storage.PostgreSql;
using Okr.Storage.Sqlite;

var (provider, connection, mode, tenant) = (args[0], args[1], args[2], TenantId.Parse(args[3]));
IOkrStore store;
if (provider is "ef-sqlite" or "ef-postgresql")
{
    // The EF Core store over a context of this process's own, on tables the test's context created.
    var builder = new DbContextOptionsBuilder<RaceContext>();
    var options = (provider == "ef-sqlite" ? builder.UseSqlite(connection) : builder.UseNpgsql(connection)).Options;
    store = new EntityFrameworkCoreOkrStore<RaceContext>(new RaceContextFactory(options));
}
else if (provider == "sqlite")
{
    var sqlite = new SqliteOkrStore(connection);
    await sqlite.InitializeAsync();
    store = sqlite;
}
else
{
    var postgres = new PostgreSqlOkrStore(connection);
    await postgres.InitializeAsync();
    store = postgres;
}

if (mode == "race")
{
    await Race.RunAsync(store, tenant, args[4..]);
    return;
}

if (mode == "events")
{
    await Okr.Storage.CrashHelper.Events.RunAsync(store, tenant, args[4..]);
    return;
}

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
        var checkIns = Enumerable.Range(0, Size())
            .Select(i => new CheckIn(new CheckInId(Guid.CreateVersion7()), kr, i, author, start + Duration.FromMinutes(i), start + Duration.FromMinutes(i), note: tag))
            .ToList();
        await store.AppendCheckInsAsync(tenant, checkIns);
    }
    else
    {
        var period = new OkrPeriod(new PeriodId(Guid.CreateVersion7()), tag, new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)));
        var objectives = Enumerable.Range(0, Size()).Select(i => Objective.Create(
            new ObjectiveId(Guid.CreateVersion7()), period.Id, tag, author, NodaTime.SystemClock.Instance,
            keyResults: [new KeyResult(new KeyResultId(Guid.CreateVersion7()), "KR", new MilestoneMeasure())])).ToList();
        // Reported synchronously on the writing thread, after the periods are written and before the objectives.
        var inside = new Inside(stage => { if (stage == ImportStage.Periods) { Say($"inside {tag}"); } });
        await store.ImportAsync(tenant, new OkrDocument(tenant, [period], objectives, []), inside);
    }

    Say($"committed {tag}");
}

int Size() => int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);

static void Say(string line) => Okr.Storage.CrashHelper.Program.Say(line);

internal sealed class Inside(Action<ImportStage> onStage) : IProgress<ImportProgress>
{
    public void Report(ImportProgress value) => onStage(value.Stage);
}

namespace Okr.Storage.CrashHelper
{
    /// <summary>What the helper prints, flushed at once so the test reads it before a kill.</summary>
    internal static partial class Program
    {
        public static void Say(string line)
        {
            Console.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
