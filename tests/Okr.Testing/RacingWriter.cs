using System.Diagnostics;

namespace Okr.Testing;

/// <summary>
/// A facade call in a second OS process (tests/Okr.Storage.CrashHelper in race mode), held at its commit: it has
/// read and decided, and commits only when the test says <see cref="GoAsync"/>. Between the two, the test makes the
/// competing write in its own process, so the interleaving across processes is pinned without sleeps.
/// </summary>
public sealed class RacingWriter : IAsyncDisposable
{
    private readonly Process _child;

    private RacingWriter(Process child) => _child = child;

    /// <summary>Starts the call and returns once it has decided and waits at the commit.</summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="call"><c>record KR</c>, <c>close PERIOD</c> or <c>align CHILD PARENT</c>.</param>
    /// <returns>The held writer.</returns>
    /// <exception cref="InvalidOperationException">The call finished (or failed) without reaching the commit; its output says why.</exception>
    public static async Task<RacingWriter> StartAsync(string provider, string connectionString, string tenant, params string[] call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Okr.Storage.CrashHelper.dll"), provider, connectionString, "race", tenant }.Concat(call))
        {
            start.ArgumentList.Add(argument);
        }

        var writer = new RacingWriter(Process.Start(start) ?? throw new InvalidOperationException("Could not start the racing process."));
        var line = await writer.ReadLineAsync().ConfigureAwait(false);
        if (line != "decided")
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The racing call did not stop at its commit; it said '{line}'.");
        }

        return writer;
    }

    /// <summary>Lets the held commit through and returns how it ended: <c>committed</c>, or <c>lost EXCEPTION-TYPE</c>.</summary>
    /// <returns>The outcome.</returns>
    public async Task<string> GoAsync()
    {
        await _child.StandardInput.WriteLineAsync("go").ConfigureAwait(false);
        await _child.StandardInput.FlushAsync().ConfigureAwait(false);
        var outcome = await ReadLineAsync().ConfigureAwait(false);
        await _child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        return outcome;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_child.HasExited)
        {
            _child.Kill(entireProcessTree: true);
            await _child.WaitForExitAsync().ConfigureAwait(false);
        }

        _child.Dispose();
    }

    private async Task<string> ReadLineAsync() =>
        await _child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false)
        ?? throw new InvalidOperationException("The racing process exited: " + await _child.StandardError.ReadToEndAsync().ConfigureAwait(false));
}
