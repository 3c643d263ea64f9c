using NodaTime;
using Okr.Core.Serialization;

namespace Okr.Core.Storage;

/// <summary>
/// Where OKRs are kept. Every call names its tenant and never reads, writes or counts another
/// tenant's data. Implementations: the in-memory default, SQLite and PostgreSQL providers, or your
/// own (prove it with the conformance kit in Okr.Storage.Specification).
/// </summary>
/// <remarks>
/// <para>Every call names its tenant; <c>default(TenantId)</c> is refused with an <see cref="ArgumentException"/>
/// naming the argument (<c>StoreRules.RequireTenant</c> in Okr.Storage.Common).</para>
/// <para>Writes are atomic: a failed call writes nothing. <see cref="CommitAsync"/> is the write the facade uses:
/// one unit of work, applied only if every version its decision read is still stored. Failures are typed:
/// <see cref="OkrConcurrencyException"/> for a stale version, <see cref="OkrNotFoundException"/> for a
/// missing item, <see cref="OkrValidationException"/> for data the store cannot accept (a key result id
/// already used by another objective, a check-in id reused for different content, an instant outside
/// the store's range), and <see cref="OperationCanceledException"/> when the token is cancelled.</para>
/// <para>Instants keep full nanosecond precision; decimal values keep their exact value and scale.</para>
/// </remarks>
public interface IOkrStore
{
    /// <summary>
    /// Applies one unit of work in one transaction: first checks that every period and objective it expects or
    /// replaces is still at the version given and that every period content it counted is unchanged, then writes its
    /// periods and objectives (each at <c>expectedVersion + 1</c>, keeping the replaced version in the audit trail) and
    /// appends its check-ins. Either all of it commits or nothing does.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="changes">The unit of work.</param>
    /// <param name="cancellationToken">Cancels the call; nothing is written then.</param>
    /// <returns>What was stored.</returns>
    /// <exception cref="OkrConcurrencyException">An expectation no longer holds (someone else committed first); nothing was written.</exception>
    /// <exception cref="OkrNotFoundException">A write replaces a version above 0 of an item that does not exist; nothing was written.</exception>
    /// <exception cref="OkrValidationException">Data the store cannot accept (a key result id held by another objective, a check-in id reused for a different payload, an instant out of range); nothing was written.</exception>
    ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default);

    /// <summary>Counts a period's objectives and the check-ins of their key results, for <see cref="OkrChangeSet.ExpectContent"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts; zeros for a period that has nothing (or does not exist).</returns>
    ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default);

    /// <summary>Reads a period.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The period, or null when the tenant has none with that id.</returns>
    ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's periods, ordered by first day, then id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The periods.</returns>
    IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>Reads an objective.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The objective, or null when the tenant has none with that id.</returns>
    ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default);

    /// <summary>Reads several objectives in one call.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="ids">The objectives' ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The objectives of the tenant with those ids, each once, ordered by id; ids the tenant has no objective for are left out.</returns>
    /// <remarks>
    /// The default calls <see cref="GetObjectiveAsync"/> once per id. A store with a network round trip per call should
    /// answer it in one query: the facade's imports use it for every objective a document replaces or links to.
    /// </remarks>
    async ValueTask<IReadOnlyList<Objective>> GetObjectivesAsync(TenantId tenant, IReadOnlyCollection<ObjectiveId> ids, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(ids);
        var found = new List<Objective>(ids.Count);
        foreach (var id in ids.Distinct().Order())
        {
            if (await GetObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false) is { } objective)
            {
                found.Add(objective);
            }
        }

        return found;
    }

    /// <summary>
    /// Lists every stored version of a period, oldest first, ending with the current one: the audit trail of its
    /// life cycle (each version carries <see cref="OkrPeriod.UpdatedAt"/> and <see cref="OkrPeriod.UpdatedBy"/>).
    /// A store keeps the version a save replaces in the same transaction as the save.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period's id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The versions; empty when the tenant has no period with that id.</returns>
    IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists every stored version of an objective, oldest first, ending with the current one: the audit trail of
    /// its changes (each version carries <see cref="Objective.UpdatedAt"/> and <see cref="Objective.UpdatedBy"/>).
    /// A store keeps the version a write replaces in the same transaction as the write; a failed write keeps
    /// nothing.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective's id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The versions; empty when the tenant has no objective with that id.</returns>
    IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default);

    /// <summary>Finds the objective that holds a key result.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResult">The key result's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The objective, or null when no objective of the tenant holds that key result.</returns>
    ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds the objective that last held a key result: the one holding it now, or, for a key result since removed,
    /// the objective (as stored now) of the latest replaced version that held it. The facade asks it to decide who may
    /// read the check-ins of a removed key result. The default walks every objective's history (a cost that grows with
    /// the tenant, for a rare read); the SQL stores answer it with one query.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResult">The key result's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The objective, or null when no objective ever held the key result.</returns>
    async ValueTask<Objective?> FindLastHolderAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default)
    {
        if (await FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false) is { } holder)
        {
            return holder;
        }

        (Objective Current, Instant At)? last = null;
        await foreach (var current in ListObjectivesAsync(tenant, ObjectiveQuery.All, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var version in ListObjectiveHistoryAsync(tenant, current.Id, cancellationToken).ConfigureAwait(false))
            {
                if (version.FindKeyResult(keyResult) is not null && (last is null || version.UpdatedAt >= last.Value.At))
                {
                    last = (current, version.UpdatedAt);
                }
            }
        }

        return last?.Current;
    }

    /// <summary>Finds the objectives that hold several key results, in one call.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResults">The key results' ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// For each key result an objective of the tenant holds, that objective (one instance per objective); ids no
    /// objective of the tenant holds are left out.
    /// </returns>
    /// <remarks>
    /// The default calls <see cref="FindObjectiveByKeyResultAsync"/> once per key result. A store that can answer
    /// in one round trip should override it: the facade uses it for every batch of check-ins.
    /// </remarks>
    async ValueTask<IReadOnlyDictionary<KeyResultId, Objective>> FindObjectivesByKeyResultsAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        var found = new Dictionary<KeyResultId, Objective>(keyResults.Count);
        foreach (var keyResult in keyResults)
        {
            if (!found.ContainsKey(keyResult) && await FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false) is { } objective)
            {
                foreach (var held in objective.KeyResults)
                {
                    found[held.Id] = objective;
                }
            }
        }

        // Only what was asked for.
        return keyResults.Where(found.ContainsKey).Distinct().ToDictionary(k => k, k => found[k]);
    }

    /// <summary>Lists objectives matching a query, ordered by id, one page at a time.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="query">Filters and paging; everything of the tenant when empty.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The objectives.</returns>
    IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the objectives of a period at or under some of its objectives: each of <paramref name="roots"/> that belongs to
    /// the period, and every objective of the period aligned to one of them, directly or through others of the period
    /// (by any link, contributing or not). Each once, ordered by id. Scoped summaries and an objective's status read it,
    /// so their cost follows the subtree rather than the period.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="roots">The objectives whose subtrees are wanted; ids of other periods or none are ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The objectives.</returns>
    /// <remarks>
    /// The built-in stores keep an index of links (parent to child), updated with every objective write, and answer in
    /// one statement. The default lists the whole period and walks its graph.
    /// </remarks>
    async IAsyncEnumerable<Objective> ListSubtreesAsync(TenantId tenant, PeriodId period, IReadOnlyCollection<ObjectiveId> roots, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(roots);
        foreach (var o in (await WalkDownAsync(this, tenant, [period], roots, startsInPeriods: true, cancellationToken).ConfigureAwait(false)).Values)
        {
            yield return o;
        }
    }

    /// <summary>
    /// Lists the objectives of some periods aligned under any of <paramref name="parents"/>, directly or through other
    /// objectives of those periods (by any link, contributing or not): what a year's figures take from the quarters it
    /// holds (<see cref="OkrPeriod.Holds"/>). The parents may belong to any period and are not listed themselves. Each
    /// objective once, ordered by id.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="periods">The periods whose objectives may be listed.</param>
    /// <param name="parents">The objectives to start from.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The objectives.</returns>
    /// <remarks>
    /// The built-in stores answer from their index of links (parent to child), so a year's summary costs what is aligned
    /// under it, not its quarters. The default lists every objective of each period and walks their links.
    /// </remarks>
    async IAsyncEnumerable<Objective> ListAlignedUnderAsync(TenantId tenant, IReadOnlyCollection<PeriodId> periods, IReadOnlyCollection<ObjectiveId> parents, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(parents);
        foreach (var o in (await WalkDownAsync(this, tenant, periods, parents, startsInPeriods: false, cancellationToken).ConfigureAwait(false)).Values)
        {
            yield return o;
        }
    }

    /// <summary>
    /// The defaults' walk down the links, for a store without an index of them: lists every objective of the periods,
    /// then follows links from <paramref name="starts"/> to the objectives of those periods under them. With
    /// <paramref name="startsInPeriods"/> the starts of those periods are kept and the others ignored (a subtree);
    /// without, the starts are left out and may be of any period (what is aligned under them).
    /// </summary>
    private static async ValueTask<SortedDictionary<ObjectiveId, Objective>> WalkDownAsync(IOkrStore store, TenantId tenant, IEnumerable<PeriodId> periods, IReadOnlyCollection<ObjectiveId> starts, bool startsInPeriods, CancellationToken cancellationToken)
    {
        var all = new Dictionary<ObjectiveId, Objective>();
        var childrenOf = new Dictionary<ObjectiveId, List<Objective>>();
        foreach (var period in periods.Distinct())
        {
            await foreach (var o in store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }, cancellationToken).ConfigureAwait(false))
            {
                all[o.Id] = o;
                foreach (var link in o.Alignments)
                {
                    (childrenOf.TryGetValue(link.ParentObjectiveId, out var list) ? list : childrenOf[link.ParentObjectiveId] = []).Add(o);
                }
            }
        }

        var found = new SortedDictionary<ObjectiveId, Objective>();
        var reached = new HashSet<ObjectiveId>();
        var queue = new Queue<ObjectiveId>();
        foreach (var start in starts)
        {
            if (startsInPeriods)
            {
                if (!all.TryGetValue(start, out var root))
                {
                    continue;   // a root of another period, or of none, is ignored
                }

                found[start] = root;
            }

            if (reached.Add(start))
            {
                queue.Enqueue(start);
            }
        }

        while (queue.TryDequeue(out var id))
        {
            foreach (var child in childrenOf.GetValueOrDefault(id) ?? [])
            {
                if (reached.Add(child.Id))
                {
                    found[child.Id] = child;
                    queue.Enqueue(child.Id);
                }
            }
        }

        return found;
    }

    /// <summary>Reads a check-in.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The check-in's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The check-in, or null when the tenant has none with that id.</returns>
    ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default);

    /// <summary>The whole history of a key result, corrections and corrected check-ins included, ordered by effective instant, recorded instant, then id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResult">The key result.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The check-ins.</returns>
    IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default);

    /// <summary>The whole histories of several key results in one read, each ordered as <see cref="GetHistoryAsync"/> orders it.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResults">The key results.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The history of each key result that has check-ins; key results without one are absent.</returns>
    /// <remarks>The default calls <see cref="GetHistoryAsync"/> once per key result; the SQL stores answer in one statement on the history index.</remarks>
    async ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> GetHistoriesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        var result = new Dictionary<KeyResultId, IReadOnlyList<CheckIn>>(keyResults.Count);
        foreach (var keyResult in keyResults.Distinct())
        {
            var history = new List<CheckIn>();
            await foreach (var c in GetHistoryAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false))
            {
                history.Add(c);
            }

            if (history.Count > 0)
            {
                result[keyResult] = history;
            }
        }

        return result;
    }

    /// <summary>
    /// The check-in in force of many key results at once, in one round trip, by the rule of
    /// <see cref="CheckInHistory.AsOf"/>.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResults">The key results.</param>
    /// <param name="effectiveAt">The instant whose values are wanted.</param>
    /// <param name="knownAt">Only check-ins recorded by then count; all when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The check-in in force per key result; key results without one are absent.</returns>
    ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The current state of many key results in one read: the check-in in force at <paramref name="at"/> (all check-ins
    /// known, the rule of <see cref="CheckInHistory.AsOf"/>) and when each key result's latest check-in was recorded.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResults">The key results.</param>
    /// <param name="at">The instant whose values are wanted, usually now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per key result that has a check-in; key results without one are absent.</returns>
    /// <remarks>
    /// The built-in stores keep each key result's latest check-in in force, updated in the transaction of every append,
    /// so this costs one keyed read per key result, whatever the length of its history; a value effective after
    /// <paramref name="at"/> sends that key result to the as-of read, so the answer stays exact for any instant. The
    /// default walks each key result's history (<see cref="GetHistoryAsync"/>): correct, and linear in the histories.
    /// </remarks>
    async ValueTask<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>> GetCurrentValuesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant at, CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        var result = new Dictionary<KeyResultId, KeyResultCurrent>(keyResults.Count);
        foreach (var keyResult in keyResults.Distinct())
        {
            var history = new List<CheckIn>();
            await foreach (var c in GetHistoryAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false))
            {
                history.Add(c);
            }

            if (history.Count > 0)
            {
                result[keyResult] = new KeyResultCurrent(keyResult, CheckInHistory.AsOf(history, at), history.Max(c => c.RecordedAt));
            }
        }

        return result;
    }

    /// <summary>Writes a whole document in one transaction, replacing items with the same ids: all or nothing.</summary>
    /// <param name="tenant">The tenant; must equal the document's.</param>
    /// <param name="document">The document.</param>
    /// <param name="progress">Receives a report after each stage and every few hundred items; may be null.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is written then.</param>
    /// <returns>A task that completes when the document is committed.</returns>
    /// <exception cref="OkrValidationException">The document's tenant differs, or an item cannot be stored; nothing was written.</exception>
    ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// When each check-in (corrections included) of a period's key results was recorded, in no set order, without
    /// values or notes: what <see cref="Service.OkrProgress.ParticipationAsync"/> counts, in one read.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The key result and recorded instant of each check-in.</returns>
    /// <remarks>The built-in stores read the two columns alone; the default reads the period's export.</remarks>
    async IAsyncEnumerable<(KeyResultId KeyResult, Instant RecordedAt)> ListRecordedAsync(TenantId tenant, PeriodId period, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreRules.RequireTenant(tenant);
        var document = await ExportAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        foreach (var c in document.CheckIns)
        {
            yield return (c.KeyResultId, c.RecordedAt);
        }
    }

    /// <summary>Reads a tenant's data as a document: everything, or one period with its objectives and their check-ins.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">One period, or null for every period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The document, items ordered as the list methods order them, check-ins by id.</returns>
    ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default);
}
