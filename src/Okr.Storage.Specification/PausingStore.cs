using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;

namespace Okr.Storage.Specification;

/// <summary>
/// A store decorator that can hold the next <see cref="IOkrStore.CommitAsync"/> at its door: after the caller has
/// read and decided, before anything is written. The race tests use it to pin an interleaving: the decision of one
/// writer, then a whole competing write, then the first write's commit. No sleeps and no timing: the test waits
/// for <see cref="Arrived"/> and opens the door with <see cref="Release"/>.
/// </summary>
internal sealed class PausingStore(IOkrStore inner) : IOkrStore
{
    private TaskCompletionSource? _arrived;
    private TaskCompletionSource? _door;
    private TaskCompletionSource? _waiting;

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

    public async ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
    {
        // Only the next commit is held; the ones after it (a retry, a second write) go straight through.
        if (Interlocked.Exchange(ref _waiting, null) is { } door && _arrived is { } arrived)
        {
            arrived.TrySetResult();
            await door.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await inner.CommitAsync(tenant, changes, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) => inner.GetPeriodContentAsync(tenant, period, cancellationToken);

    public ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) => inner.GetPeriodAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, CancellationToken cancellationToken = default) => inner.ListPeriodsAsync(tenant, cancellationToken);

    public ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) => inner.GetObjectiveAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) => inner.ListPeriodHistoryAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) => inner.ListObjectiveHistoryAsync(tenant, id, cancellationToken);

    public ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) => inner.FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken);

    public ValueTask<IReadOnlyDictionary<KeyResultId, Objective>> FindObjectivesByKeyResultsAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default) => inner.FindObjectivesByKeyResultsAsync(tenant, keyResults, cancellationToken);

    public IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default) => inner.ListObjectivesAsync(tenant, query, cancellationToken);

    public ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default) => inner.GetCheckInAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) => inner.GetHistoryAsync(tenant, keyResult, cancellationToken);

    public ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default) => inner.GetValuesAsOfAsync(tenant, keyResults, effectiveAt, knownAt, cancellationToken);

    public ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) => inner.ImportAsync(tenant, document, progress, cancellationToken);

    public ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default) => inner.ExportAsync(tenant, period, cancellationToken);
}
