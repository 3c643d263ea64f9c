using Okr.Core;
using Okr.Core.Storage;

namespace Okr.Storage.Specification;

/// <summary>
/// A store decorator that can hold the next <see cref="IOkrStore.CommitAsync"/> at its door: after the caller has
/// read and decided, before anything is written. The race tests use it to pin an interleaving: the decision of one
/// writer, then a whole competing write, then the first write's commit. No sleeps and no timing: the test waits
/// for <see cref="Arrived"/> and opens the door with <see cref="Release"/>.
/// </summary>
internal sealed class PausingStore(IOkrStore inner) : DelegatingOkrStore(inner)
{
    private TaskCompletionSource? _arrived;
    private TaskCompletionSource? _door;
    private TaskCompletionSource? _waiting;

    private int _commits;

    /// <summary>How many commits reached the door (held or not), successful or not.</summary>
    public int Commits => Volatile.Read(ref _commits);

    /// <summary>Completes when a held commit has arrived at the door.</summary>
    public Task Arrived => _arrived?.Task ?? throw new InvalidOperationException("Call HoldNextCommit first.");

    /// <summary>Holds the next commit until <see cref="Release"/>.</summary>
    public void HoldNextCommit()
    {
        _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _door = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting = _door;
    }

    /// <summary>Lets the held commit through.</summary>
    public void Release() => (_door ?? throw new InvalidOperationException("Nothing is held.")).TrySetResult();

    public override async ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);

        // Only the next commit is held; the ones after it (a retry, a second write) go straight through.
        if (Interlocked.Exchange(ref _waiting, null) is { } door && _arrived is { } arrived)
        {
            arrived.TrySetResult();
            await door.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await base.CommitAsync(tenant, changes, cancellationToken).ConfigureAwait(false);
    }
}
