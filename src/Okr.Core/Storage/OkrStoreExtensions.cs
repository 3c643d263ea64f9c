namespace Okr.Core.Storage;

/// <summary>
/// Single writes over <see cref="IOkrStore.CommitAsync"/>: each is a unit of work of one item, with the same
/// guarantees. For migrations, tools and tests; the facade builds whole units.
/// </summary>
public static class OkrStoreExtensions
{
    /// <summary>
    /// Writes a period with optimistic concurrency: the stored period is replaced only if its version is still
    /// <paramref name="expectedVersion"/>, and 0 inserts a new one (or replaces one an import stored at version 0).
    /// The stored period gets version <c>expectedVersion + 1</c>. The same as a <see cref="IOkrStore.CommitAsync"/> of that one write.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="expectedVersion">The version read before the change (0 for a new period).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The period as stored, with its new version.</returns>
    /// <exception cref="OkrConcurrencyException">The stored version differs (or the period already exists, for 0); nothing was written.</exception>
    /// <exception cref="OkrNotFoundException">There is no period to replace; nothing was written.</exception>
    public static async ValueTask<OkrPeriod> SavePeriodAsync(this IOkrStore store, TenantId tenant, OkrPeriod period, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(period);
        var result = await store.CommitAsync(tenant, new OkrChangeSet().Save(period, expectedVersion), cancellationToken).ConfigureAwait(false);
        return result.Periods[0];
    }

    /// <summary>
    /// Writes an objective whole, with optimistic concurrency: the stored objective is replaced only if
    /// its version is still <paramref name="expectedVersion"/>, and 0 inserts a new one (or replaces one
    /// an import stored at version 0). The stored objective gets version <c>expectedVersion + 1</c>.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="objective">The objective.</param>
    /// <param name="expectedVersion">The version read before the change (0 for a new objective).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The objective as stored, with its new version.</returns>
    /// <exception cref="OkrConcurrencyException">The stored version differs (or the objective already exists, for 0); nothing was written.</exception>
    /// <exception cref="OkrNotFoundException">There is no objective to replace; nothing was written.</exception>
    /// <exception cref="OkrValidationException">A key result id is already used by another objective of the tenant; nothing was written.</exception>
    public static async ValueTask<Objective> SaveObjectiveAsync(this IOkrStore store, TenantId tenant, Objective objective, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(objective);
        var result = await store.CommitAsync(tenant, new OkrChangeSet().Save(objective, expectedVersion), cancellationToken).ConfigureAwait(false);
        return result.Objectives[0];
    }

    /// <summary>
    /// Appends one check-in. Idempotent by id: appending the same check-in again (the same payload, see
    /// <c>StoreRules.SamePayload</c> in Okr.Storage.Common; the recorded instant may differ) changes nothing and returns false.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="checkIn">The check-in.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it was added; false when an identical check-in was already there.</returns>
    /// <exception cref="OkrValidationException">The id is already used by a different check-in; nothing was written.</exception>
    public static async ValueTask<bool> AppendCheckInAsync(this IOkrStore store, TenantId tenant, CheckIn checkIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(checkIn);
        return await store.AppendCheckInsAsync(tenant, [checkIn], cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Appends several check-ins atomically: all or none. Already present identical check-ins are skipped.</summary>
    /// <param name="store">The store.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="checkIns">The check-ins.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were added.</returns>
    /// <exception cref="OkrValidationException">An id is used by a different check-in (in the store or twice in the batch); nothing was written.</exception>
    public static async ValueTask<int> AppendCheckInsAsync(this IOkrStore store, TenantId tenant, IReadOnlyList<CheckIn> checkIns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(checkIns);
        var result = await store.CommitAsync(tenant, new OkrChangeSet().Append(checkIns), cancellationToken).ConfigureAwait(false);
        return result.CheckInsAdded;
    }
}
