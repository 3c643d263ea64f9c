using NodaTime;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Storage.CrashHelper;

/// <summary>
/// Events mode: records a check-in through the facade (its events commit with it), then dispatches the tenant's
/// events to a subscriber that appends each event id to a delivery log, in a loop until killed. It prints "begin TAG"
/// before the write, "committed TAG" after it, "handled ID" once an event is in the log (before the dispatcher
/// acknowledges it) and "delivered TAG" after the dispatch, so the test can kill it between any two of them.
/// Usage: Okr.Storage.CrashHelper &lt;sqlite|postgresql&gt; &lt;connection string&gt; events &lt;tenant&gt; &lt;key result&gt; &lt;log file&gt;
/// </summary>
internal static class Events
{
    public static async Task RunAsync(IOkrStore store, TenantId tenant, string[] args)
    {
        var keyResult = KeyResultId.Parse(args[0]);
        var log = args[1];
        var okr = new OkrService(store, SystemClock.Instance);
        var author = OwnerRef.Person("crash-test");

        // A short lease: a writer killed while delivering holds the stream only briefly.
        var dispatcher = new OkrEventDispatcher((IOkrEventOutbox)store, [new LogSubscriber(log)], SystemClock.Instance, new OkrEventDispatcherOptions
        {
            Tenants = [tenant],
            LeaseDuration = Duration.FromSeconds(2),
            BatchSize = 3,
        });
        for (var batch = 1; ; batch++)
        {
            var tag = $"{Environment.ProcessId}-{batch}";
            Program.Say($"begin {tag}");
            await okr.CheckIns.RecordAsync(tenant, keyResult, batch % 200, author, note: tag);
            Program.Say($"committed {tag}");
            await dispatcher.DispatchOnceAsync();
            Program.Say($"delivered {tag}");
        }
    }

    /// <summary>Appends each event id to the log, flushed to disk, then says so.</summary>
    private sealed class LogSubscriber(string path) : IOkrEventSubscriber
    {
        public async ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            await using (var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
                await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"{okrEvent.Id} {okrEvent.Sequence}\n"), cancellationToken);
                file.Flush(flushToDisk: true);
            }

            Program.Say($"handled {okrEvent.Id}");
        }
    }
}
