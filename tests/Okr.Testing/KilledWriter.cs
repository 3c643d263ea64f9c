using System.Diagnostics;
using System.Globalization;

namespace Okr.Testing;

/// <summary>
/// Runs the crash helper (tests/Okr.Storage.CrashHelper) as a child process and kills it at a chosen point:
/// after a number of reported commits, on the next line that starts with a given marker ("begin " as a
/// write starts, "inside " once an import's transaction is open and has written).
/// </summary>
public static class KilledWriter
{
    /// <summary>
    /// Kills the writer <paramref name="kills"/> times (each run after 1–3 commits, seeded) and after each kill
    /// counts the rows of every batch with <paramref name="countBatches"/> (tag → rows).
    /// </summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="mode"><c>append</c> or <c>import</c>.</param>
    /// <param name="batchSize">Check-ins per append, or objectives per import.</param>
    /// <param name="kills">How many times to kill a writer.</param>
    /// <param name="killOn">The marker of the line to kill on.</param>
    /// <param name="countBatches">Reads, after a kill, how many rows each batch has in the database.</param>
    /// <returns>What the kills left behind.</returns>
    public static async Task<CrashReport> PlayAsync(
        string provider, string connectionString, string mode, int batchSize, int kills, string killOn, Func<Task<IReadOnlyDictionary<string, long>>> countBatches)
    {
        ArgumentNullException.ThrowIfNull(countBatches);
        var tenant = Guid.CreateVersion7().ToString();
        var random = new Random(20261125);
        var report = new CrashReport(kills);
        for (var kill = 0; kill < kills; kill++)
        {
            var (committed, inFlight) = await RunAsync(provider, connectionString, mode, tenant, [batchSize.ToString(CultureInfo.InvariantCulture)], random.Next(1, 4), killOn).ConfigureAwait(false);
            report.Committed.UnionWith(committed);
            var counts = await countBatches().ConfigureAwait(false);
            report.PartialBatches.AddRange(counts.Where(c => c.Value != batchSize).Select(c => $"{c.Key}: {c.Value} of {batchSize} rows"));
            report.MissingCommits.AddRange(report.Committed.Where(tag => !counts.ContainsKey(tag)));
            report.InFlightRolledBack += counts.ContainsKey(inFlight) ? 0 : 1;
        }

        return report;
    }

    /// <summary>
    /// Kills the events writer (the crash helper's <c>events</c> mode) <paramref name="kills"/> times, each time after
    /// 0–2 commits (seeded random), on each of its markers in turn: as a write begins, just after it committed (before its
    /// events are delivered), once an event is in the delivery log (before it is acknowledged), or after a dispatch.
    /// </summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResult">An active objective's key result to check in on.</param>
    /// <param name="log">The delivery log the writer's subscriber appends event ids to.</param>
    /// <param name="kills">How many times to kill it.</param>
    /// <returns>The tags the writers reported committed, and how many kills landed on each marker.</returns>
    public static async Task<(HashSet<string> Committed, Dictionary<string, int> KillsOn)> PlayEventsAsync(
        string provider, string connectionString, string tenant, string keyResult, string log, int kills)
    {
        var random = new Random(20261128);
        string[] markers = ["begin ", "committed ", "handled ", "delivered "];
        var committed = new HashSet<string>();
        var killsOn = markers.ToDictionary(m => m.Trim(), _ => 0);
        for (var kill = 0; kill < kills; kill++)
        {
            var killOn = markers[kill % markers.Length];
            var (tags, _) = await RunAsync(provider, connectionString, "events", tenant, [keyResult, log], random.Next(0, 3), killOn).ConfigureAwait(false);
            committed.UnionWith(tags);
            killsOn[killOn.Trim()]++;
        }

        return (committed, killsOn);
    }

    /// <summary>Starts the writer, waits for the kill point, kills it and waits for it to exit.</summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="mode"><c>append</c> or <c>import</c>.</param>
    /// <param name="tenant">The tenant to write to.</param>
    /// <param name="arguments">The mode's further arguments.</param>
    /// <param name="commits">How many commits to let through first.</param>
    /// <param name="killOn">The marker of the line to kill on, once the commits are through.</param>
    /// <returns>The tags the writer reported committed, and the tag of the write it was killed in.</returns>
    /// <exception cref="InvalidOperationException">The writer exited on its own (its error output says why).</exception>
    /// <exception cref="TimeoutException">The writer printed nothing for a minute.</exception>
    private static async Task<(IReadOnlyList<string> Committed, string InFlight)> RunAsync(
        string provider, string connectionString, string mode, string tenant, string[] arguments, int commits, string killOn)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Okr.Storage.CrashHelper.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { helper, provider, connectionString, mode, tenant }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the writer process.");
        var committed = new List<string>();
        string? inFlight = null;
        while (inFlight is null)
        {
            var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The writer exited before it was killed: " + await child.StandardError.ReadToEndAsync().ConfigureAwait(false));
            var isCommit = line.StartsWith("committed ", StringComparison.Ordinal);
            if (isCommit)
            {
                committed.Add(line["committed ".Length..]);
            }

            // A kill on "committed " lands after that many commits went through, just after the next one.
            if (commits <= 0 && line.StartsWith(killOn, StringComparison.Ordinal))
            {
                inFlight = line[killOn.Length..];
            }
            else if (isCommit)
            {
                commits--;
            }
        }

        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync().ConfigureAwait(false);
        return (committed, inFlight);
    }
}

/// <summary>What a series of kills left behind.</summary>
/// <param name="Kills">How many writers were killed.</param>
public sealed record CrashReport(int Kills)
{
    /// <summary>The batches the writers reported committed.</summary>
    public HashSet<string> Committed { get; } = [];

    /// <summary>Batches found with some but not all of their rows (should be empty).</summary>
    public List<string> PartialBatches { get; } = [];

    /// <summary>Batches reported committed but not found after a later kill (should be empty).</summary>
    public List<string> MissingCommits { get; } = [];

    /// <summary>How many kills left the batch in flight absent: the kill landed inside an open transaction.</summary>
    public int InFlightRolledBack { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kills} kills, {Committed.Count} reported commits, {InFlightRolledBack} in-flight batches rolled back whole, {PartialBatches.Count} partial, {MissingCommits.Count} missing";
}
