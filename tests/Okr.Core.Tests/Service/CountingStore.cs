using Okr.Core.Storage;
using Okr.Storage.Specification;

namespace Okr.Core.Tests.Service;

/// <summary>Counts the commits that reach the store, and keeps the last unit of work.</summary>
internal sealed class CountingStore(IOkrStore inner) : DelegatingOkrStore(inner)
{
    private int _commits;

    public int Commits => Volatile.Read(ref _commits);

    public OkrChangeSet? LastCommit { get; private set; }

    public override ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        LastCommit = changes;
        return base.CommitAsync(tenant, changes, cancellationToken);
    }
}
