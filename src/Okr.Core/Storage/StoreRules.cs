using Okr.Core.Serialization;

namespace Okr.Core.Storage;

/// <summary>The checks and errors every store applies the same way. Public so that other stores can too.</summary>
static partial class StoreRules
{
    /// <summary>How often an import reports progress, in items.</summary>
    public const int ProgressEvery = 500;

    /// <summary>Throws the right error when <paramref name="expectedVersion"/> does not match the stored version.</summary>
    /// <param name="id">The objective.</param>
    /// <param name="expectedVersion">The version the caller expects (0: the objective must not exist).</param>
    /// <param name="storedVersion">The stored version, or null when there is none.</param>
    /// <exception cref="OkrConcurrencyException">The versions differ.</exception>
    /// <exception cref="OkrNotFoundException">A version above 0 is expected but nothing is stored.</exception>
    private static void CheckVersion(ObjectiveId id, long expectedVersion, long? storedVersion) =>
        CheckReplaced($"Objective {id}", expectedVersion, storedVersion);

    /// <summary>
    /// Throws when a store or facade call names no tenant: <c>default(TenantId)</c> is never a tenant, so a host
    /// that forgot to set one fails at once instead of sharing one all-zero bucket with every other such host.
    /// </summary>
    /// <param name="tenant">The tenant passed (the argument named <c>tenant</c>).</param>
    /// <exception cref="ArgumentException">The tenant is the default (empty) identifier.</exception>
    public static void RequireTenant(TenantId tenant)
    {
        if (tenant.IsEmpty)
        {
            throw new ArgumentException("The tenant must not be default(TenantId): every call names the tenant it works for.", nameof(tenant));
        }
    }

    /// <summary>Throws the right error when a period's <paramref name="expectedVersion"/> does not match the stored version.</summary>
    /// <param name="id">The period.</param>
    /// <param name="expectedVersion">The version the caller expects (0: the period must not exist, or was imported at 0).</param>
    /// <param name="storedVersion">The stored version, or null when there is none.</param>
    /// <exception cref="OkrConcurrencyException">The versions differ (for 0: the period already exists).</exception>
    /// <exception cref="OkrNotFoundException">A version above 0 is expected but nothing is stored.</exception>
    private static void CheckPeriodVersion(PeriodId id, long expectedVersion, long? storedVersion) =>
        CheckReplaced($"Period {id}", expectedVersion, storedVersion);

    /// <summary>Throws when a read-only expectation of a unit of work no longer holds.</summary>
    /// <param name="what">"Period" or "Objective", with the id.</param>
    /// <param name="expectedVersion">The version the decision read.</param>
    /// <param name="storedVersion">The version stored now, or null when the item is gone.</param>
    /// <exception cref="OkrConcurrencyException">The versions differ.</exception>
    private static void CheckExpectation(string what, long expectedVersion, long? storedVersion)
    {
        if (storedVersion != expectedVersion && !(storedVersion is null && expectedVersion == 0))
        {
            throw new OkrConcurrencyException(
                storedVersion is null
                    ? $"{what} was read at version {expectedVersion} but no longer exists. Read again and retry."
                    : $"{what} was read at version {expectedVersion} and is now at version {storedVersion}: someone else changed it while this change was decided. Read again and retry.",
                expectedVersion,
                storedVersion);
        }
    }

    /// <summary>Throws when a period's content changed after a unit of work counted it.</summary>
    /// <param name="period">The period.</param>
    /// <param name="expected">The counts read.</param>
    /// <param name="actual">The counts at commit time.</param>
    /// <exception cref="OkrConcurrencyException">They differ.</exception>
    private static void CheckContent(PeriodId period, PeriodContent expected, PeriodContent actual)
    {
        if (expected != actual)
        {
            throw new OkrConcurrencyException(
                $"Period {period} changed while this change was decided: it held {expected.Objectives} objective(s) and {expected.CheckIns} check-in(s), and now holds {actual.Objectives} and {actual.CheckIns}. Read again and retry.",
                expected.CheckIns,
                actual.CheckIns);
        }
    }

    /// <summary>Throws when a key result gained check-ins after a unit of work read its history.</summary>
    /// <param name="keyResult">The key result.</param>
    /// <param name="expected">The number of check-ins read.</param>
    /// <param name="actual">The number at commit time.</param>
    /// <exception cref="OkrConcurrencyException">They differ.</exception>
    private static void CheckCheckInCount(KeyResultId keyResult, long expected, long actual)
    {
        if (expected != actual)
        {
            throw new OkrConcurrencyException(
                $"Key result {keyResult} changed while this change was decided: it held {expected} check-in(s) and now holds {actual}. Read again and retry.",
                expected,
                actual);
        }
    }

    /// <summary>
    /// Applies a unit of work through a store's own reads and writes: the one algorithm of
    /// <see cref="IOkrStore.CommitAsync"/>. It reads (and locks) the versions of every period and then every objective
    /// the unit depends on, checks each expectation, each counted content and each replaced version, and only then
    /// writes the periods, the objectives and the check-ins. Call it inside the store's transaction.
    /// </summary>
    /// <param name="changes">The unit (checked with <see cref="CheckChangeSet"/> first).</param>
    /// <param name="target">The store's operations inside its transaction.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was stored.</returns>
    /// <exception cref="OkrConcurrencyException">An expectation or a replaced version no longer holds.</exception>
    /// <exception cref="OkrNotFoundException">A write replaces a version above 0 of an item that does not exist.</exception>
    public static async ValueTask<OkrCommitResult> CommitAsync(OkrChangeSet changes, IOkrCommitTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(target);
        var (periodDependencies, objectiveDependencies) = changes.Dependencies();
        var periodVersions = periodDependencies.Count == 0
            ? new Dictionary<PeriodId, long>()
            : await target.PeriodVersionsAsync([.. periodDependencies.Select(p => p.Key)], exclusive: changes.Periods.Count > 0 || changes.ExpectedContent.Count > 0, cancellationToken).ConfigureAwait(false);
        var objectiveVersions = objectiveDependencies.Count == 0
            ? new Dictionary<ObjectiveId, long>()
            : await target.ObjectiveVersionsAsync([.. objectiveDependencies.Select(o => o.Key)], exclusive: changes.Objectives.Count > 0, cancellationToken).ConfigureAwait(false);
        foreach (var (id, version) in changes.ExpectedPeriods)
        {
            CheckExpectation($"Period {id}", version, periodVersions.TryGetValue(id, out var v) ? v : null);
        }

        foreach (var (id, version) in changes.ExpectedObjectives)
        {
            CheckExpectation($"Objective {id}", version, objectiveVersions.TryGetValue(id, out var v) ? v : null);
        }

        foreach (var (id, content) in changes.ExpectedContent)
        {
            CheckContent(id, content, await target.CountAsync(id, cancellationToken).ConfigureAwait(false));
        }

        foreach (var (id, count) in changes.ExpectedCheckInCounts.OrderBy(e => e.Key))
        {
            CheckCheckInCount(id, count, await target.CountCheckInsAsync(id, cancellationToken).ConfigureAwait(false));
        }

        var periods = new List<OkrPeriod>(changes.Periods.Count);
        foreach (var w in changes.Periods)
        {
            long? current = periodVersions.TryGetValue(w.Period.Id, out var v) ? v : null;
            CheckPeriodVersion(w.Period.Id, w.ExpectedVersion, current);
            var stored = w.Period.WithVersion(w.ExpectedVersion + 1);
            await target.WritePeriodAsync(stored, current is not null, cancellationToken).ConfigureAwait(false);
            periods.Add(stored);
        }

        var objectives = new List<Objective>(changes.Objectives.Count);
        var exist = new List<bool>(changes.Objectives.Count);
        foreach (var w in changes.Objectives)
        {
            long? current = objectiveVersions.TryGetValue(w.Objective.Id, out var v) ? v : null;
            CheckVersion(w.Objective.Id, w.ExpectedVersion, current);
            objectives.Add(w.Objective.WithVersion(w.ExpectedVersion + 1));
            exist.Add(current is not null);
        }

        if (objectives.Count > 0)
        {
            await target.WriteObjectivesAsync(objectives, exist, cancellationToken).ConfigureAwait(false);
        }

        var skipped = new HashSet<CheckInId>();
        var added = changes.CheckIns.Count == 0 ? 0 : await target.AppendAsync(changes.CheckIns, skipped, cancellationToken).ConfigureAwait(false);
        var raised = new List<Events.OkrEvent>(changes.Events.Count);
        for (var i = 0; i < changes.Events.Count; i++)
        {
            // An event of a check-in that was stored before (a retry) was raised when it was first stored.
            if (changes.EventConditions[i] is not { } checkIns || checkIns.Any(c => !skipped.Contains(c)))
            {
                raised.Add(changes.Events[i]);
            }
        }

        IReadOnlyList<Events.OkrEvent> events = [];
        if (raised.Count > 0)
        {
            // Last, so the stream's row (the tenant's one point of serialisation) is held as briefly as possible.
            var first = await target.ReserveSequenceAsync(raised.Count, cancellationToken).ConfigureAwait(false);
            var numbered = new Events.OkrEvent[raised.Count];
            for (var i = 0; i < numbered.Length; i++)
            {
                numbered[i] = raised[i] with { Sequence = first + i };
            }

            await target.WriteEventsAsync(numbered, cancellationToken).ConfigureAwait(false);
            events = numbered;
        }

        // A condition on the tenant's whole calendar: counted under the stream's lock, which every unit that raises an
        // event takes, so a period another unit created meanwhile is seen (it committed before this unit got the lock).
        if (changes.ExpectedPeriodCount is { } expectedPeriods)
        {
            if (raised.Count == 0)
            {
                throw new ArgumentException("A unit that expects the tenant's period count must raise an event: the count is checked under the event stream's lock.", nameof(changes));
            }

            var created = periods.Count(p => p.Version == 1);
            var counted = await target.CountPeriodsAsync(cancellationToken).ConfigureAwait(false);
            if (counted != expectedPeriods + created)
            {
                throw new OkrConcurrencyException(
                    $"The tenant's periods changed while this change was decided: it held {expectedPeriods} period(s) and now holds {counted - created}. Read again and retry.",
                    expectedPeriods,
                    counted - created);
            }
        }

        return new OkrCommitResult(periods, objectives, added) { Events = events };
    }

    /// <summary>Checks a unit of work before a store applies it: a tenant, versions ≥ 0, instants a store can keep.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="changes">The unit.</param>
    /// <exception cref="ArgumentException">The tenant is the default identifier.</exception>
    /// <exception cref="OkrValidationException">A version is negative or an instant is out of range.</exception>
    public static void CheckChangeSet(TenantId tenant, OkrChangeSet changes)
    {
        RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var w in changes.Periods)
        {
            CheckExpected(w.ExpectedVersion);
        }

        foreach (var w in changes.Objectives)
        {
            CheckExpected(w.ExpectedVersion);
        }

        foreach (var c in changes.CheckIns)
        {
            CheckInstants(c);
        }

        var ids = new HashSet<Guid>();
        // Built only when an event depends on check-ins: a plain batch append pays nothing for it.
        HashSet<CheckInId>? appended = null;
        for (var i = 0; i < changes.Events.Count; i++)
        {
            var e = changes.Events[i];
            if (changes.EventConditions[i] is { } conditions
                && conditions.FirstOrDefault(c => !(appended ??= [.. changes.CheckIns.Select(x => x.Id)]).Contains(c)) is { IsEmpty: false } missing)
            {
                throw new ArgumentException($"Event {e.Id} depends on check-in {missing}, which the unit does not append.", nameof(changes));
            }

            if (e.Tenant != tenant)
            {
                throw new ArgumentException($"Event {e.Id} belongs to tenant {e.Tenant}, not to {tenant}, the unit's tenant.", nameof(changes));
            }

            if (!ids.Add(e.Id))
            {
                throw new ArgumentException($"Event {e.Id} is raised twice in one unit.", nameof(changes));
            }

            if (string.IsNullOrWhiteSpace(e.Type) || e.Data is null || e.Id == Guid.Empty)
            {
                throw new ArgumentException($"Event {e.Id} needs an id, a type and data.", nameof(changes));
            }

            OkrStoreFormat.ToUnixNanoseconds(e.OccurredAt);
        }
    }

    /// <summary>The one rule of a versioned write: 0 creates (or replaces an import's version 0), n replaces n.</summary>
    private static void CheckReplaced(string what, long expectedVersion, long? storedVersion)
    {
        CheckExpected(expectedVersion);
        if (storedVersion is null && expectedVersion > 0)
        {
            throw new OkrNotFoundException($"{what} does not exist, so version {expectedVersion} cannot be replaced.");
        }

        if (storedVersion is { } stored && stored != expectedVersion)
        {
            throw new OkrConcurrencyException(
                expectedVersion == 0
                    ? $"{what} already exists (version {stored})."
                    : $"{what} is at version {stored}, not {expectedVersion}: someone else changed it. Read it again and retry.",
                expectedVersion,
                stored);
        }
    }

    private static void CheckExpected(long expectedVersion)
    {
        if (expectedVersion < 0)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.OutOfRange, "ExpectedVersion", $"The expected version must be ≥ 0; it is {expectedVersion}.")]);
        }
    }

    /// <summary>The error for a key result id that another objective of the tenant already uses.</summary>
    /// <param name="keyResult">The key result.</param>
    /// <param name="owner">The objective that holds it.</param>
    /// <returns>The exception to throw.</returns>
    public static OkrValidationException KeyResultTaken(KeyResultId keyResult, ObjectiveId owner) =>
        new([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(Objective.KeyResults), $"Key result {keyResult} already belongs to objective {owner}.")]);

    /// <summary>Throws when a check-in id is reused for a different check-in.</summary>
    /// <param name="stored">The stored check-in.</param>
    /// <param name="incoming">The one being appended with the same id.</param>
    /// <exception cref="OkrValidationException">They differ.</exception>
    public static void CheckSameCheckIn(CheckIn stored, CheckIn incoming)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(incoming);
        if (!SamePayload(stored, incoming))
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(CheckIn.Id), $"Check-in {incoming.Id} already exists with different content; check-ins are append-only.")]);
        }
    }

    /// <summary>
    /// Whether two check-ins with one id carry the same payload: key result, value (with its scale), author, effective
    /// instant, confidence, note and corrected check-in. <see cref="CheckIn.RecordedAt"/> is left out: a retry sent a
    /// minute later is recorded later, and is still the same check-in.
    /// </summary>
    /// <param name="stored">The stored check-in.</param>
    /// <param name="incoming">The one arriving with the same id.</param>
    /// <returns>True when they are the same check-in.</returns>
    public static bool SamePayload(CheckIn stored, CheckIn incoming)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(incoming);
        return stored.Id == incoming.Id
            && stored.KeyResultId == incoming.KeyResultId
            && stored.Value == incoming.Value
            && stored.Value.Scale == incoming.Value.Scale
            && stored.Author == incoming.Author
            && stored.EffectiveAt == incoming.EffectiveAt
            && stored.Confidence == incoming.Confidence
            && string.Equals(stored.Note, incoming.Note, StringComparison.Ordinal)
            && stored.Corrects == incoming.Corrects;
    }

    /// <summary>Throws when a check-in's instants lie outside what SQL stores keep.</summary>
    /// <param name="checkIn">The check-in.</param>
    /// <exception cref="OkrValidationException">An instant is out of range.</exception>
    public static void CheckInstants(CheckIn checkIn)
    {
        ArgumentNullException.ThrowIfNull(checkIn);
        OkrStoreFormat.ToUnixNanoseconds(checkIn.EffectiveAt);
        OkrStoreFormat.ToUnixNanoseconds(checkIn.RecordedAt);
    }

    /// <summary>Throws when a document belongs to another tenant than the one it is imported into.</summary>
    /// <param name="tenant">The tenant imported into.</param>
    /// <param name="document">The document.</param>
    /// <exception cref="OkrValidationException">The tenants differ.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is the default identifier.</exception>
    public static void CheckTenant(TenantId tenant, OkrDocument document)
    {
        RequireTenant(tenant);
        ArgumentNullException.ThrowIfNull(document);
        if (document.TenantId != tenant)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.Mismatch, nameof(OkrDocument.TenantId), $"The document belongs to tenant {document.TenantId}, not {tenant}.")]);
        }
    }

    /// <summary>
    /// Checks what an import must never break, whoever imports: no id twice in the document (periods, objectives, key
    /// results, check-ins), every alignment link resolving to an objective (and key result) in the document or the
    /// store, and no cycle in the graph the import would leave. A store calls it inside its import transaction, reading
    /// stored objectives through <paramref name="loadStored"/> (walked upward from the document's parents only).
    /// </summary>
    /// <param name="document">The document.</param>
    /// <param name="loadStored">Reads the stored objectives with the given ids, inside the import's transaction; absent ids are left out.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>A task that completes when the document passed.</returns>
    /// <exception cref="OkrValidationException">Every problem, each with its JSON path (<c>$.objectives[3].alignments[0].parentObjectiveId</c>).</exception>
    public static async ValueTask CheckImportAsync(OkrDocument document, Func<IReadOnlyCollection<ObjectiveId>, CancellationToken, ValueTask<IReadOnlyList<Objective>>> loadStored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(loadStored);
        var (violations, _) = await ImportChecks.CheckAsync(document, loadStored, cancellationToken).ConfigureAwait(false);
        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }
    }

    /// <summary>
    /// Assembles <see cref="IOkrStore.ExportAsync"/> from a store's own list methods and its check-in
    /// query: every period (or the one asked for) by first day, the objectives by id, and the check-ins
    /// as the store returns them (ordered by id).
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">One period, or null for all.</param>
    /// <param name="checkIns">The store's check-ins of the tenant (or of the period's key results), ordered by id.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The document.</returns>
    public static async ValueTask<OkrDocument> ComposeExportAsync(IOkrStore store, TenantId tenant, PeriodId? period, IAsyncEnumerable<CheckIn> checkIns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(checkIns);
        var periods = new List<OkrPeriod>();
        await foreach (var p in store.ListPeriodsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (period is null || p.Id == period)
            {
                periods.Add(p);
            }
        }

        var objectives = new List<Objective>();
        await foreach (var o in store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }, cancellationToken).ConfigureAwait(false))
        {
            objectives.Add(o);
        }

        var list = new List<CheckIn>();
        await foreach (var c in checkIns.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(c);
        }

        return new OkrDocument(tenant, periods, objectives, list);
    }

    /// <summary>
    /// For a store's <see cref="IOkrStore.FindObjectivesByKeyResultsAsync"/>: records <paramref name="objective"/>
    /// under each of its key results that was asked for.
    /// </summary>
    /// <param name="objective">An objective the store found.</param>
    /// <param name="asked">The key results asked for.</param>
    /// <param name="found">The result being built.</param>
    public static void MapKeyResults(Objective objective, IReadOnlySet<KeyResultId> asked, IDictionary<KeyResultId, Objective> found)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(asked);
        ArgumentNullException.ThrowIfNull(found);
        foreach (var keyResult in objective.KeyResults)
        {
            if (asked.Contains(keyResult.Id))
            {
                found[keyResult.Id] = objective;
            }
        }
    }

    /// <summary>Checks the arguments of <see cref="Events.IOkrEventOutbox.LeaseAsync"/>.</summary>
    /// <param name="owner">Who leases.</param>
    /// <param name="duration">The lease's length.</param>
    /// <param name="maxTenants">The most streams.</param>
    /// <param name="tenants">The tenants to lease from, or null for all.</param>
    /// <exception cref="ArgumentException">The owner is empty or longer than 200 characters, or a tenant is the default identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The duration is not positive, or <paramref name="maxTenants"/> is below 1.</exception>
    public static void CheckLease(string owner, NodaTime.Duration duration, int maxTenants, IReadOnlyCollection<TenantId>? tenants)
    {
        if (tenants is not null)
        {
            foreach (var tenant in tenants)
            {
                RequireTenant(tenant);
            }
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (owner.Length > 200)
        {
            throw new ArgumentException("The lease owner is longer than 200 characters.", nameof(owner));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, NodaTime.Duration.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTenants, 1);
    }

    /// <summary>Checks the arguments of <see cref="Events.IOkrEventOutbox.ReadEventsAsync"/>.</summary>
    /// <param name="afterSequence">The cursor.</param>
    /// <param name="limit">The page size.</param>
    /// <exception cref="ArgumentOutOfRangeException">The cursor is negative or the limit below 1.</exception>
    public static void CheckEventPage(long afterSequence, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
    }
}
