namespace Okr.Core.Storage;

/// <summary>
/// What a store offers inside one open transaction (or under one lock) so that
/// <see cref="StoreRules.CommitAsync(OkrChangeSet, IOkrCommitTarget, CancellationToken)"/> can apply a unit of work:
/// the one algorithm of every store's <see cref="IOkrStore.CommitAsync"/> (which versions to read and lock, which
/// checks, in which order, with which errors). The store supplies the reads and writes; the rules stay in one place.
/// </summary>
/// <remarks>
/// Every call happens inside the store's transaction, and what the version reads return must not change before it
/// commits: a store with one writer at a time (SQLite, a lock) has that already; a store with row locks takes them
/// in the version reads, in the order given (id order, periods before objectives), exclusively when asked to.
/// </remarks>
partial interface IOkrCommitTarget
{
    /// <summary>Reads the stored versions of periods, locking them where the store locks rows.</summary>
    /// <param name="ids">The periods, in id order.</param>
    /// <param name="exclusive">Whether the unit writes periods or counts their content (lock for update), or only read them (lock for share).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version of each period that is stored; absent ids are left out.</returns>
    ValueTask<IReadOnlyDictionary<PeriodId, long>> PeriodVersionsAsync(IReadOnlyList<PeriodId> ids, bool exclusive, CancellationToken cancellationToken);

    /// <summary>Reads the stored versions of objectives, locking them where the store locks rows.</summary>
    /// <param name="ids">The objectives, in id order.</param>
    /// <param name="exclusive">Whether the unit writes objectives (lock for update), or only read them (lock for share).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version of each objective that is stored; absent ids are left out.</returns>
    ValueTask<IReadOnlyDictionary<ObjectiveId, long>> ObjectiveVersionsAsync(IReadOnlyList<ObjectiveId> ids, bool exclusive, CancellationToken cancellationToken);

    /// <summary>Counts a period's content as <see cref="IOkrStore.GetPeriodContentAsync"/> does, inside the transaction.</summary>
    /// <param name="period">The period (already locked, exclusively).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    ValueTask<PeriodContent> CountAsync(PeriodId period, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a key result's check-ins (corrections included) inside the transaction, after taking what keeps other
    /// units from appending to it until this one ends: the lock an append of the key result takes (on PostgreSQL, the
    /// row of its current value, created if missing; a store with one writer at a time has it already). The count
    /// sees every check-in committed before the call. Called in key result order, after the period and objective
    /// versions.
    /// </summary>
    /// <param name="keyResult">The key result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of check-ins stored for it; 0 for a key result with none.</returns>
    ValueTask<long> CountCheckInsAsync(KeyResultId keyResult, CancellationToken cancellationToken);

    /// <summary>Counts the tenant's periods inside the transaction, seeing what committed before the call (after the stream lock: see <see cref="OkrChangeSet.ExpectPeriodCount"/>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of periods stored, the unit's own new ones included.</returns>
    ValueTask<long> CountPeriodsAsync(CancellationToken cancellationToken);

    /// <summary>Writes a period at its new version, keeping the replaced version in the audit trail.</summary>
    /// <param name="period">The period as stored (its version already set).</param>
    /// <param name="exists">Whether a version is stored (replace) or not (insert).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is written.</returns>
    ValueTask WritePeriodAsync(OkrPeriod period, bool exists, CancellationToken cancellationToken);

    /// <summary>Writes objectives at their new versions, keeping each replaced version in the audit trail, and their key-result index.</summary>
    /// <param name="objectives">The objectives as stored (versions already set).</param>
    /// <param name="exist">For each, whether a version is stored (replace) or not (insert).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when they are written.</returns>
    /// <exception cref="OkrValidationException">A key result id is held by another objective (<see cref="StoreRules.KeyResultTaken"/>).</exception>
    ValueTask WriteObjectivesAsync(IReadOnlyList<Objective> objectives, IReadOnlyList<bool> exist, CancellationToken cancellationToken);

    /// <summary>Appends check-ins: identical ones already stored are skipped, clashing ones throw.</summary>
    /// <param name="checkIns">The check-ins.</param>
    /// <param name="skipped">Receives the ids of check-ins that were stored before this unit (a retry); a repeat inside the batch is not one.</param>
    /// <param name="cancellationToken">Cancels the unit.</param>
    /// <returns>How many check-ins were new.</returns>
    ValueTask<int> AppendAsync(IReadOnlyList<CheckIn> checkIns, ISet<CheckInId> skipped, CancellationToken cancellationToken);

    /// <summary>
    /// Takes <paramref name="count"/> sequence numbers of the tenant's event stream (creating the stream if needed) and
    /// returns the first. Called last in a unit, so the stream's row is locked for as short a time as possible; taking
    /// the numbers inside the transaction makes them follow commit order.
    /// </summary>
    /// <param name="count">How many numbers, at least 1.</param>
    /// <param name="cancellationToken">Cancels the unit.</param>
    /// <returns>The first number taken; the others follow it.</returns>
    ValueTask<long> ReserveSequenceAsync(int count, CancellationToken cancellationToken);

    /// <summary>Writes events whose sequence numbers were reserved.</summary>
    /// <param name="events">The events, in sequence order.</param>
    /// <param name="cancellationToken">Cancels the unit.</param>
    /// <returns>A task that completes when they are written.</returns>
    ValueTask WriteEventsAsync(IReadOnlyList<Events.OkrEvent> events, CancellationToken cancellationToken);
}
