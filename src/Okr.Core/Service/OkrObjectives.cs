using System.Runtime.CompilerServices;
using Okr.Core.Rules;
using Okr.Core.Storage;

namespace Okr.Core.Service;

/// <summary>The objective part of <see cref="OkrService"/>.</summary>
public sealed class OkrObjectives
{
    private readonly OkrService _service;

    internal OkrObjectives(OkrService service) => _service = service;

    /// <summary>Stores a new draft objective after checking the rules and its alignment links.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="draft">The objective, from <see cref="Objective.Create"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored objective (version 1).</returns>
    /// <exception cref="OkrValidationException">A rule or link check fails (all violations listed); nothing was written.</exception>
    /// <exception cref="OkrNotFoundException">Its period does not exist.</exception>
    public ValueTask<Objective> CreateAsync(TenantId tenant, Objective draft, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.objectives.create", tenant, () => CreateCoreAsync(tenant, draft, cancellationToken));

    private async ValueTask<Objective> CreateCoreAsync(TenantId tenant, Objective draft, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.State != ObjectiveState.Draft)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.IllegalTransition, nameof(Objective.State), $"A new objective starts as a Draft, not {draft.State}.")]);
        }

        if (draft.Version != 0 || draft.Grade is not null || draft.UpdatedBy is not null)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.Invalid, nameof(Objective.Version), "A new objective has version 0, no grade and no UpdatedBy: CreateAsync only creates, and the facade stamps who made it.")]);
        }

        if (draft.CarriedFrom is not null || draft.ReopenReason is not null)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.Invalid, draft.CarriedFrom is not null ? nameof(Objective.CarriedFrom) : nameof(Objective.ReopenReason), "A new objective was neither carried over nor reopened: OkrPeriods.CarryOverAsync makes copies, and ReopenAsync reopens.")]);
        }

        await _service.DemandWriteAsync(tenant, null, draft, cancellationToken).ConfigureAwait(false);
        var period = await _service.RequirePeriodAsync(tenant, draft.PeriodId, cancellationToken).ConfigureAwait(false);
        var violations = (await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false)).Rules.Check(new ObjectiveChange(null, draft, period, new HashSet<KeyResultId>())).ToList();
        var changes = new OkrChangeSet().Expect(period);
        violations.AddRange(await CheckLinksAsync(tenant, draft, changes, cancellationToken).ConfigureAwait(false));
        Throw(violations);
        var stamped = _service.Stamp(draft);
        RaiseAll(changes, OkrEventFactory.For(_service, tenant).Objective(null, stamped.WithVersion(1)));
        var committed = await _service.CommitAsync(tenant, changes.Save(stamped, 0), cancellationToken).ConfigureAwait(false);
        return committed.Objectives[0];
    }

    /// <summary>
    /// Applies an edit to the stored objective, checks every rule and link, and commits it only if nothing it read
    /// changed meanwhile (the objective, its period, the objectives its links walk through). The edit gets the stored
    /// objective and the service's clock. The life cycle is not an edit: an edit that changes the state, the grade,
    /// the version, <see cref="Objective.CreatedAt"/> or <see cref="Objective.UpdatedBy"/>, or sets
    /// <see cref="Objective.UpdatedAt"/> outside the span from the stored stamp to now, fails with
    /// <c>okr.state.illegal_transition</c> or <c>okr.invalid</c>; use <see cref="ActivateAsync"/>,
    /// <see cref="CancelAsync"/> and <see cref="OkrPeriods.CloseAsync"/>. The facade stamps who and when.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="edit">The change, for example <c>(o, clock) =&gt; o.WithTitle("…", clock)</c>.</param>
    /// <param name="expectedVersion">The version the caller loaded (the ETag a UI holds); a stale one fails with <see cref="OkrConcurrencyException"/> naming both versions. Null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored objective.</returns>
    /// <exception cref="OkrValidationException">The edit or a rule fails; nothing was written.</exception>
    /// <exception cref="OkrConcurrencyException">The caller's version is stale, or someone else changed what the edit read meanwhile; nothing was written.</exception>
    /// <exception cref="OkrNotFoundException">The objective or its period does not exist.</exception>
    public ValueTask<Objective> EditAsync(TenantId tenant, ObjectiveId id, Func<Objective, NodaTime.IClock, Objective> edit, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.objectives.edit", tenant, () => EditCoreAsync(tenant, id, edit, expectedVersion, cancellationToken));

    private ValueTask<Objective> EditCoreAsync(TenantId tenant, ObjectiveId id, Func<Objective, NodaTime.IClock, Objective> edit, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return EditCoreAsync(tenant, id, edit, expectedVersion, lifecycle: false, cancellationToken);
    }

    /// <summary>Moves a draft to Active (the rules check it has 3–5 key results and an open period).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="expectedVersion">The version the caller loaded (an ETag); null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The active objective.</returns>
    public ValueTask<Objective> ActivateAsync(TenantId tenant, ObjectiveId id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.objectives.activate", tenant, () => ActivateCoreAsync(tenant, id, expectedVersion, cancellationToken));

    private async ValueTask<Objective> ActivateCoreAsync(TenantId tenant, ObjectiveId id, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        return await EditCoreAsync(tenant, id, static (o, clock) => o.Activate(clock), expectedVersion, lifecycle: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels a draft or active objective; it stays for the record and never counts.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="expectedVersion">The version the caller loaded (an ETag); null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cancelled objective.</returns>
    public ValueTask<Objective> CancelAsync(TenantId tenant, ObjectiveId id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.objectives.cancel", tenant, () => CancelCoreAsync(tenant, id, expectedVersion, cancellationToken));

    private ValueTask<Objective> CancelCoreAsync(TenantId tenant, ObjectiveId id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        EditCoreAsync(tenant, id, static (o, clock) => o.Cancel(clock), expectedVersion, lifecycle: true, cancellationToken);

    /// <summary>
    /// Reopens a closed objective of a reopened period to correct its grade: it becomes active without its grade, takes
    /// check-ins and edits, and the next close of the period grades it anew. The grade it had stays in the audit trail
    /// (<see cref="HistoryAsync"/>) with who set it and why, beside the reason given here; an <c>objective.reopened</c>
    /// event records it. Only a period manager may reopen an objective (not its owner: the close it undoes is the
    /// managers' act too), and only one the manager may read.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="reason">Why; not blank, at most <see cref="Objective.MaxReopenReasonLength"/> characters.</param>
    /// <param name="expectedVersion">The version the caller loaded (an ETag); null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The active objective.</returns>
    /// <exception cref="OkrValidationException">The objective is not closed, its period is not open (<c>okr.period.closed</c>: reopen the period first), or the reason is blank or too long.</exception>
    /// <exception cref="OkrAccessDeniedException">The actor may not manage periods.</exception>
    public ValueTask<Objective> ReopenAsync(TenantId tenant, ObjectiveId id, string reason, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.objectives.reopen", tenant, () => ReopenCoreAsync(tenant, id, reason, expectedVersion, cancellationToken));

    private async ValueTask<Objective> ReopenCoreAsync(TenantId tenant, ObjectiveId id, string reason, long? expectedVersion, CancellationToken cancellationToken)
    {
        OkrService.CheckTenant(tenant);
        await _service.DemandManagePeriodsAsync(tenant, cancellationToken).ConfigureAwait(false);
        // A period manager's act, as the close it undoes: no write access to the owner's objectives is asked (read
        // access is: what the manager may not see is not found).
        return await EditCoreAsync(tenant, id, (o, clock) => o.Reopen(reason, clock), expectedVersion, lifecycle: true, cancellationToken, periodManagersAct: true).ConfigureAwait(false);
    }

    /// <summary>Adds a key result.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="keyResult">The key result.</param>
    /// <param name="expectedVersion">The version the caller loaded (an ETag); null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored objective.</returns>
    public ValueTask<Objective> AddKeyResultAsync(TenantId tenant, ObjectiveId id, KeyResult keyResult, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.objectives.add_key_result", tenant, () => AddKeyResultCoreAsync(tenant, id, keyResult, expectedVersion, cancellationToken));

    private ValueTask<Objective> AddKeyResultCoreAsync(TenantId tenant, ObjectiveId id, KeyResult keyResult, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        EditAsync(tenant, id, (o, clock) => o.AddKeyResult(keyResult, clock), expectedVersion, cancellationToken);

    /// <summary>
    /// Aligns an objective to a parent objective or key result. Rejected, with the cycle's path, when
    /// the link would close a cycle; also when the parent is missing or its period does not contain the child's.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="child">The objective that aligns.</param>
    /// <param name="link">The link to its parent.</param>
    /// <param name="expectedVersion">The version of the child the caller loaded (an ETag); null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored objective.</returns>
    /// <remarks>
    /// The link commits only if every objective the cycle check walked through is unchanged, so two links that would
    /// close a cycle together (x → y and y → x at the same moment) never both commit: one fails with
    /// <see cref="OkrConcurrencyException"/>, and its retry sees the cycle.
    /// </remarks>
    public ValueTask<Objective> AlignAsync(TenantId tenant, ObjectiveId child, AlignmentLink link, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.objectives.align", tenant, () => AlignCoreAsync(tenant, child, link, expectedVersion, cancellationToken));

    private ValueTask<Objective> AlignCoreAsync(TenantId tenant, ObjectiveId child, AlignmentLink link, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        return EditAsync(tenant, child, (o, clock) => o.WithAlignments([.. o.Alignments.Where(a => !a.HasSameParentAs(link)), link], clock), expectedVersion, cancellationToken);
    }

    /// <summary>Reads an objective.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="OkrNotFoundException">It does not exist.</exception>
    public ValueTask<Objective> GetAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.objectives.get", tenant, () => GetCoreAsync(tenant, id, cancellationToken));

    private async ValueTask<Objective> GetCoreAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        var objective = await _service.RequireObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        await _service.DemandReadAsync(tenant, objective, cancellationToken).ConfigureAwait(false);
        return objective;
    }

    /// <summary>Lists objectives.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The objectives, by id.</returns>
    public IAsyncEnumerable<Objective> ListAsync(TenantId tenant, ObjectiveQuery? query = null, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        return _service.TraceEnumerable("okr.objectives.list", tenant, ListCoreAsync(tenant, query, cancellationToken), cancellationToken);
    }

    private async IAsyncEnumerable<Objective> ListCoreAsync(TenantId tenant, ObjectiveQuery? query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        query ??= ObjectiveQuery.All;
        query.Validate();
        if (!_service.Filters)
        {
            await foreach (var o in _service.Store.ListObjectivesAsync(tenant, query, cancellationToken).ConfigureAwait(false))
            {
                yield return o;
            }

            yield break;
        }

        // What the actor may not read is left out, not reported, and left out before the limit: a page holds up to
        // Limit objectives the actor can read, so a pager only stops when there is nothing more to see.
        var yielded = 0;
        var after = query.After;
        while (true)
        {
            var wanted = query.Limit is { } limit ? limit - yielded : (int?)null;
            var page = new ObjectiveQuery { Period = query.Period, Owner = query.Owner, State = query.State, After = after, Limit = wanted };
            var read = 0;
            await foreach (var o in _service.Store.ListObjectivesAsync(tenant, page, cancellationToken).ConfigureAwait(false))
            {
                read++;
                after = o.Id;
                if (await _service.CanReadAsync(tenant, o, cancellationToken).ConfigureAwait(false))
                {
                    yield return o;
                    if (++yielded == query.Limit)
                    {
                        yield break;
                    }
                }
            }

            if (wanted is null || read < wanted)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The audit trail of an objective: every stored version, oldest first, each with who made it, when, and what
    /// changed since the version before.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The revisions.</returns>
    /// <exception cref="OkrNotFoundException">The objective does not exist.</exception>
    /// <exception cref="OkrAccessDeniedException">The actor may not read the objective.</exception>
    public ValueTask<IReadOnlyList<ObjectiveRevision>> HistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.objectives.history", tenant, () => HistoryCoreAsync(tenant, id, cancellationToken));

    private async ValueTask<IReadOnlyList<ObjectiveRevision>> HistoryCoreAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        var current = await _service.RequireObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        await _service.DemandReadAsync(tenant, current, cancellationToken).ConfigureAwait(false);
        var revisions = new List<ObjectiveRevision>();
        Objective? previous = null;
        await foreach (var version in _service.Store.ListObjectiveHistoryAsync(tenant, id, cancellationToken).ConfigureAwait(false))
        {
            // Only the versions the actor could read as they were (a title from a private past stays hidden); each
            // change is told against the previous version shown.
            if (!await _service.CanReadAsync(tenant, version, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            revisions.Add(new ObjectiveRevision(version, ObjectiveRevision.Compare(previous, version)));
            previous = version;
        }

        return revisions;
    }

    private async ValueTask<Objective> EditCoreAsync(TenantId tenant, ObjectiveId id, Func<Objective, NodaTime.IClock, Objective> edit, long? expectedVersion, bool lifecycle, CancellationToken cancellationToken, bool periodManagersAct = false)
    {
        OkrService.CheckTenant(tenant);
        var before = await _service.RequireObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        await _service.DemandReadAsync(tenant, before, cancellationToken).ConfigureAwait(false);
        OkrService.CheckLoadedVersion($"Objective {id}", expectedVersion, before.Version);
        var after = edit(before, _service.Clock) ?? throw new ArgumentException("The edit returned null.", nameof(edit));
        if (after.Id != before.Id)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.Mismatch, nameof(Objective.Id), "An edit cannot change the objective's id.")]);
        }

        if (!lifecycle)
        {
            CheckLifecycleUntouched(before, after, _service.Clock.GetCurrentInstant());
        }

        if (!periodManagersAct)
        {
            await _service.DemandWriteAsync(tenant, before, after, cancellationToken).ConfigureAwait(false);
        }

        // A measure may change only before the first check-in. When an edit changes one, the decision depends on
        // the period's check-ins: count them first, and the commit fails if one arrived in between.
        var measureChanged = before.KeyResults.Any(k => after.FindKeyResult(k.Id) is { } changed && !Equals(changed.Measure, k.Measure));
        var content = measureChanged ? await _service.Store.GetPeriodContentAsync(tenant, before.PeriodId, cancellationToken).ConfigureAwait(false) : default;
        var period = await _service.RequirePeriodAsync(tenant, after.PeriodId, cancellationToken).ConfigureAwait(false);
        var withCheckIns = await _service.Store.GetValuesAsOfAsync(tenant, [.. before.KeyResults.Select(k => k.Id)], OkrStoreFormat.MaxInstant, null, cancellationToken).ConfigureAwait(false);
        var violations = (await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false)).Rules.Check(new ObjectiveChange(before, after, period, withCheckIns.Keys.ToHashSet())).ToList();
        var changes = new OkrChangeSet().Expect(period);
        if (measureChanged)
        {
            changes.ExpectContent(before.PeriodId, content);
        }

        if (before.PeriodId != after.PeriodId && await _service.Store.GetPeriodAsync(tenant, before.PeriodId, cancellationToken).ConfigureAwait(false) is { } old)
        {
            changes.Expect(old);
            if (!old.IsWritable)
            {
                violations.Add(new OkrViolation(OkrErrorCodes.PeriodClosed, nameof(Objective.PeriodId), $"Period '{old.Name}' is {old.State}; its objectives cannot move out."));
            }
        }

        if (!before.Alignments.SequenceEqual(after.Alignments))
        {
            violations.AddRange(await CheckLinksAsync(tenant, after, changes, cancellationToken, existing: before.Alignments).ConfigureAwait(false));
        }

        Throw(violations);
        var next = _service.Stamp(after);
        RaiseAll(changes, OkrEventFactory.For(_service, tenant).Objective(before, next.WithVersion(before.Version + 1)));
        var committed = await _service.CommitAsync(tenant, changes.Save(next, before.Version), cancellationToken).ConfigureAwait(false);
        return committed.Objectives[0];
    }

    /// <summary>The life cycle and the stamps change only through their own operations, never through an edit.</summary>
    private static void CheckLifecycleUntouched(Objective before, Objective after, NodaTime.Instant now)
    {
        var violations = new List<OkrViolation>();
        if (after.State != before.State)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.IllegalTransition, nameof(Objective.State), $"An edit cannot move the objective from {before.State} to {after.State}; use ActivateAsync, CancelAsync or the period's CloseAsync."));
        }

        if (after.Grade != before.Grade)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.Invalid, nameof(Objective.Grade), "An edit cannot set the grade; grades are given when the period closes."));
        }

        if (after.Version != before.Version)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.Invalid, nameof(Objective.Version), $"An edit cannot set the version ({before.Version} → {after.Version}); pass the loaded version as expectedVersion instead."));
        }

        if (after.CreatedAt != before.CreatedAt)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.Invalid, nameof(Objective.CreatedAt), "An edit cannot change CreatedAt."));
        }

        if (after.CarriedFrom != before.CarriedFrom || after.ReopenReason != before.ReopenReason)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.Invalid, after.CarriedFrom != before.CarriedFrom ? nameof(Objective.CarriedFrom) : nameof(Objective.ReopenReason), "An edit cannot change where the objective was carried from or why it was reopened; CarryOverAsync and ReopenAsync set them."));
        }

        if (after.UpdatedAt < before.UpdatedAt || (after.UpdatedAt != before.UpdatedAt && after.UpdatedAt > now))
        {
            violations.Add(new OkrViolation(OkrErrorCodes.Invalid, nameof(Objective.UpdatedAt), $"An edit cannot set UpdatedAt to {after.UpdatedAt}; the facade stamps it with the service clock."));
        }

        if (after.UpdatedBy is { } by && by != before.UpdatedBy)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.Invalid, nameof(Objective.UpdatedBy), "An edit cannot set UpdatedBy; the facade stamps the actor."));
        }

        Throw(violations);
    }

    /// <summary>
    /// Checks each link: the parent and its key result exist, the periods nest, and no cycle closes (walking up
    /// through the store). Every objective and period the walk reads is added to <paramref name="changes"/> as an
    /// expectation, so the commit fails if any of them changed: that is what keeps a cycle from ever being stored.
    /// </summary>
    private async ValueTask<List<OkrViolation>> CheckLinksAsync(TenantId tenant, Objective objective, OkrChangeSet changes, CancellationToken cancellationToken, IReadOnlyList<AlignmentLink>? existing = null)
    {
        var violations = new List<OkrViolation>();
        var cache = new Dictionary<ObjectiveId, Objective?>();
        async ValueTask<Objective?> Load(ObjectiveId id)
        {
            if (!cache.TryGetValue(id, out var o))
            {
                cache[id] = o = await _service.Store.GetObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false);

                // Read at version v, or read as missing (0): either way the decision depends on it staying so.
                if (id != objective.Id)
                {
                    changes.ExpectObjective(id, o?.Version ?? 0);
                }
            }

            return o;
        }

        async ValueTask<bool> AnyHiddenAsync(IEnumerable<ObjectiveId> ids)
        {
            foreach (var id in ids)
            {
                if (cache.GetValueOrDefault(id) is { } o && !await _service.CanReadAsync(tenant, o, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
            }

            return false;
        }

        for (var i = 0; i < objective.Alignments.Count; i++)
        {
            var link = objective.Alignments[i];
            var member = $"Alignments[{i}]";
            var parent = await Load(link.ParentObjectiveId).ConfigureAwait(false);

            // Aligning to an objective needs read access to it; one the actor may not read is reported as missing. A
            // link the objective already had stays (its parent may have become private since; the edit is not about it).
            if (parent is null || (existing?.Contains(link) != true && !await _service.CanReadAsync(tenant, parent, cancellationToken).ConfigureAwait(false)))
            {
                violations.Add(new OkrViolation(OkrErrorCodes.AlignmentTargetMissing, member, $"The parent objective {link.ParentObjectiveId} does not exist."));
                continue;
            }

            if (link.ParentKeyResultId is { } kr && parent.FindKeyResult(kr) is null)
            {
                violations.Add(new OkrViolation(OkrErrorCodes.AlignmentTargetMissing, member, $"Objective {parent.Id} has no key result {kr}."));
            }

            if (_service.Options.RequireChildPeriodInsideParent && parent.PeriodId != objective.PeriodId)
            {
                var mine = await _service.Store.GetPeriodAsync(tenant, objective.PeriodId, cancellationToken).ConfigureAwait(false);
                var theirs = await _service.Store.GetPeriodAsync(tenant, parent.PeriodId, cancellationToken).ConfigureAwait(false);
                foreach (var read in new[] { mine, theirs })
                {
                    if (read is not null)
                    {
                        changes.Expect(read);
                    }
                }

                if (mine is not null && theirs is not null && (mine.Dates.Start < theirs.Dates.Start || mine.Dates.End > theirs.Dates.End))
                {
                    violations.Add(new OkrViolation(OkrErrorCodes.AlignmentPeriod, member, $"Period '{mine.Name}' does not lie inside the parent's period '{theirs.Name}'."));
                }
            }

            // Walk up from the parent; reaching the objective itself means the link would close a cycle.
            var cameFrom = new Dictionary<ObjectiveId, ObjectiveId?> { [parent.Id] = null };
            var queue = new Queue<Objective>([parent]);
            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                if (node.Id == objective.Id)
                {
                    var path = new List<ObjectiveId>();
                    for (ObjectiveId? at = node.Id; at is { } a; at = cameFrom[a])
                    {
                        path.Add(a);
                    }

                    path.Reverse();
                    path.Insert(0, objective.Id);
                    var error = Alignment.AlignmentGraph.CycleError(path).Violations[0] with { Member = member };
                    if (await AnyHiddenAsync(path).ConfigureAwait(false))
                    {
                        // The path runs through objectives the actor may not read: say what is wrong, not where.
                        error = error with { Message = "This link would make the objective its own ancestor, through objectives aligned to it." };
                    }

                    violations.Add(error);
                    break;
                }

                foreach (var up in node.Alignments)
                {
                    if (cameFrom.TryAdd(up.ParentObjectiveId, node.Id) && await Load(up.ParentObjectiveId).ConfigureAwait(false) is { } next)
                    {
                        queue.Enqueue(next);
                    }
                }
            }
        }

        return violations;
    }

    private static void RaiseAll(OkrChangeSet changes, IEnumerable<Events.OkrEvent> events)
    {
        foreach (var e in events)
        {
            changes.Raise(e);
        }
    }

    private static void Throw(List<OkrViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }
    }
}
