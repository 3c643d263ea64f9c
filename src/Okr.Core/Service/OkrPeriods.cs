using Okr.Core.Events;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>The period part of <see cref="OkrService"/>.</summary>
public sealed class OkrPeriods
{
    private readonly OkrService _service;

    internal OkrPeriods(OkrService service) => _service = service;

    /// <summary>Stores a new period.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period, for example from <see cref="OkrPeriod.CalendarQuarter"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored period.</returns>
    /// <returns>The stored period (version 1).</returns>
    /// <exception cref="OkrValidationException">A period with that id already exists, or the period is not new (its version is not 0).</exception>
    /// <exception cref="OkrConcurrencyException">Another caller created a period with that id at the same moment; nothing was written.</exception>
    public ValueTask<OkrPeriod> CreateAsync(TenantId tenant, OkrPeriod period, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.periods.create", tenant, () => CreateCoreAsync(tenant, period, cancellationToken));

    private async ValueTask<OkrPeriod> CreateCoreAsync(TenantId tenant, OkrPeriod period, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        ArgumentNullException.ThrowIfNull(period);
        if (period.Version != 0)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.Invalid, nameof(OkrPeriod.Version), $"A new period has version 0, not {period.Version}: CreateAsync only creates.")]);
        }

        await _service.DemandManagePeriodsAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (await _service.Store.GetPeriodAsync(tenant, period.Id, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(OkrPeriod.Id), $"Period {period.Id} already exists.")]);
        }

        // Expected version 0: of two creates with one id racing past the check above, the store lets one commit.
        var stamped = period.WithChange(_service.Actor, _service.Clock.GetCurrentInstant());
        var created = OkrEventFactory.For(_service, tenant).Period(OkrEventTypes.PeriodCreated, stamped.WithVersion(1));
        var result = await _service.CommitAsync(tenant, new Storage.OkrChangeSet().Save(stamped, 0).Raise(created), cancellationToken).ConfigureAwait(false);
        return result.Periods[0];
    }

    /// <summary>Reads a period.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The period.</returns>
    /// <exception cref="OkrNotFoundException">It does not exist.</exception>
    public ValueTask<OkrPeriod> GetAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.periods.get", tenant, () => GetCoreAsync(tenant, id, cancellationToken));

    private ValueTask<OkrPeriod> GetCoreAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        _service.RequirePeriodAsync(tenant, id, cancellationToken);

    /// <summary>Moves a period from Planning to Active.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="expectedVersion">The version the caller loaded (an ETag); a stale one fails with <see cref="OkrConcurrencyException"/>. Null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The active period.</returns>
    public ValueTask<OkrPeriod> ActivateAsync(TenantId tenant, PeriodId id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.periods.activate", tenant, () => ActivateCoreAsync(tenant, id, expectedVersion, cancellationToken));

    private ValueTask<OkrPeriod> ActivateCoreAsync(TenantId tenant, PeriodId id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        MoveAsync(tenant, id, p => p.Activate(_service.Clock), OkrEventTypes.PeriodActivated, expectedVersion, cancellationToken);

    /// <summary>Moves a period from Closed to Archived.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="expectedVersion">The version the caller loaded (an ETag); a stale one fails with <see cref="OkrConcurrencyException"/>. Null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The archived period.</returns>
    public ValueTask<OkrPeriod> ArchiveAsync(TenantId tenant, PeriodId id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.periods.archive", tenant, () => ArchiveCoreAsync(tenant, id, expectedVersion, cancellationToken));

    private ValueTask<OkrPeriod> ArchiveCoreAsync(TenantId tenant, PeriodId id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        MoveAsync(tenant, id, p => p.Archive(_service.Clock), OkrEventTypes.PeriodArchived, expectedVersion, cancellationToken);

    /// <summary>Moves a period from Closed back to Active, recording why.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="reason">Why; not blank.</param>
    /// <param name="expectedVersion">The version the caller loaded (an ETag); a stale one fails with <see cref="OkrConcurrencyException"/>. Null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The active period.</returns>
    public ValueTask<OkrPeriod> ReopenAsync(TenantId tenant, PeriodId id, string reason, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.periods.reopen", tenant, () => ReopenCoreAsync(tenant, id, reason, expectedVersion, cancellationToken));

    private ValueTask<OkrPeriod> ReopenCoreAsync(TenantId tenant, PeriodId id, string reason, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        MoveAsync(tenant, id, p => p.Reopen(reason, _service.Clock), OkrEventTypes.PeriodReopened, expectedVersion, cancellationToken);

    /// <summary>
    /// Closes a period in one atomic write: every active objective is graded (its computed grade, or the override
    /// given for it) and closed, and the period becomes read-only, or nothing changes. Drafts stay drafts. The write
    /// commits only if nothing in the period changed after the grades were computed (no check-in recorded, no
    /// objective created, edited or activated, the period itself unchanged); otherwise it fails with
    /// <see cref="OkrConcurrencyException"/> and a retry grades the newer data.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="overrides">Grade overrides by objective, if any.</param>
    /// <param name="expectedVersion">The version of the period the caller loaded (an ETag); a stale one fails with <see cref="OkrConcurrencyException"/>. Null: the version read now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The assessment of the period.</returns>
    /// <exception cref="OkrValidationException">The period is not active, or an override is invalid; nothing was written.</exception>
    /// <exception cref="OkrConcurrencyException">The period or its content changed meanwhile; nothing was written.</exception>
    public ValueTask<PeriodAssessment> CloseAsync(TenantId tenant, PeriodId id, IReadOnlyDictionary<ObjectiveId, GradeOverride>? overrides = null, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.periods.close", tenant, () => CloseCoreAsync(tenant, id, overrides, expectedVersion, cancellationToken));

    private async ValueTask<PeriodAssessment> CloseCoreAsync(TenantId tenant, PeriodId id, IReadOnlyDictionary<ObjectiveId, GradeOverride>? overrides = null, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        await _service.DemandManagePeriodsAsync(tenant, cancellationToken).ConfigureAwait(false);

        // Count the period's content before reading it: the commit then proves nothing arrived in between.
        var content = await _service.Store.GetPeriodContentAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        var period = await _service.RequirePeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        OkrService.CheckLoadedVersion($"Period {id}", expectedVersion, period.Version);
        var closed = period.Close(_service.Clock).WithChange(_service.Actor, _service.Clock.GetCurrentInstant());

        // The closing grades every objective of the period, whoever may see it (the roll-up is the system's), in the
        // order of the alignment tree, parents first, as a summary lists them.
        var rolledUp = await _service.Progress.RollUpAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        var inOrder = rolledUp.Graph.ChildrenFirst().Reverse().Select(o => rolledUp.Progress[o.Id]).ToList();
        var options = (await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false));
        var assessor = new OkrAssessor(options.Scoring, options.Assessment);

        // Every override must name an objective this close grades: an active objective of the period. A wrong id or
        // an objective already graded fails the close, instead of closing with the intended objective given its
        // computed grade. (Closing is the period managers' act and grades every objective, whoever may see it, so an
        // override may name any objective of the period.)
        if (overrides is not null)
        {
            var violations = new ViolationList();
            var graded = inOrder.ToDictionary(o => o.Objective.Id, o => o.Objective);
            foreach (var objectiveId in overrides.Keys.Order())
            {
                var member = $"Overrides[{objectiveId}]";
                if (!graded.TryGetValue(objectiveId, out var objective))
                {
                    violations.Add(OkrErrorCodes.Mismatch, member, $"Objective {objectiveId} is not an objective of period {id}; nothing was closed.");
                }
                else if (objective.State != ObjectiveState.Active)
                {
                    violations.Add(OkrErrorCodes.IllegalTransition, member, $"Objective {objectiveId} is {objective.State}: only an active objective is graded at close, so its grade cannot be overridden now.");
                }
                else if (overrides[objectiveId] is null)
                {
                    violations.Add(OkrErrorCodes.Required, member, "The override is null.");
                }
            }

            violations.ThrowIfAny();
        }

        // Grade everything first, so an invalid override fails before anything is written.
        var assessments = inOrder
            .Where(o => o.Objective.State is ObjectiveState.Active or ObjectiveState.Closed)
            .Select(o =>
            {
                var a = assessor.Assess(o);
                if (o.Objective.Grade is { } stored)
                {
                    return a.WithGrade(stored);
                }

                return overrides is not null && overrides.TryGetValue(o.Objective.Id, out var over) ? a.OverrideGrade(over.Value, over.By, over.Reason) : a;
            })
            .ToList();

        // One unit: the period, every objective read (drafts and cancelled ones too: activating one must fail the
        // close), the counted content, and the closed objectives.
        var changes = new Storage.OkrChangeSet().Save(closed, period.Version).ExpectContent(id, content);
        foreach (var o in rolledUp.Graph.Objectives)
        {
            changes.Expect(o);
        }

        var events = OkrEventFactory.For(_service, tenant);
        var closing = new List<(int Index, Objective Closed)>();
        for (var i = 0; i < assessments.Count; i++)
        {
            var objective = assessments[i].Objective;
            if (objective.State == ObjectiveState.Active)
            {
                var next = _service.Stamp(objective.Close(assessments[i].Grade, _service.Clock));
                changes.Save(next, objective.Version);
                foreach (var e in events.Objective(objective, next.WithVersion(objective.Version + 1)))
                {
                    changes.Raise(e);
                }

                closing.Add((i, next));
            }
        }

        // The period's score is known before the commit: the grades do not change by being stored.
        var score = assessor.AssessPeriod(assessments).Score;
        changes.Raise(events.Period(OkrEventTypes.PeriodClosed, closed.WithVersion(period.Version + 1), score));
        var committed = await _service.CommitAsync(tenant, changes, cancellationToken).ConfigureAwait(false);
        var final = assessments.ToList();
        for (var j = 0; j < closing.Count; j++)
        {
            var stored = committed.Objectives[j];
            var a = final[closing[j].Index];
            final[closing[j].Index] = new ObjectiveAssessment(stored, a.Grade, a.Expected, a.KeyResults);
        }

        // Committed: from here on nothing may throw or wait on the token.
        return assessor.AssessPeriod(final);
    }

    /// <summary>The audit trail of a period: every stored version, oldest first, each with who changed it and when.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions; the last is the current one.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist.</exception>
    public ValueTask<IReadOnlyList<OkrPeriod>> HistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.periods.history", tenant, () => HistoryCoreAsync(tenant, id, cancellationToken));

    private async ValueTask<IReadOnlyList<OkrPeriod>> HistoryCoreAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        await _service.RequirePeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        var versions = new List<OkrPeriod>();
        await foreach (var version in _service.Store.ListPeriodHistoryAsync(tenant, id, cancellationToken).ConfigureAwait(false))
        {
            versions.Add(version);
        }

        return versions;
    }

    private async ValueTask<OkrPeriod> MoveAsync(TenantId tenant, PeriodId id, Func<OkrPeriod, OkrPeriod> move, string eventType, long? expectedVersion, CancellationToken cancellationToken)
    {
        OkrService.CheckTenant(tenant);
        await _service.DemandManagePeriodsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var current = await _service.RequirePeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        OkrService.CheckLoadedVersion($"Period {id}", expectedVersion, current.Version);
        var next = move(current).WithChange(_service.Actor, _service.Clock.GetCurrentInstant());

        // Conditional on the version read: of two moves racing (archive and reopen), one commits.
        var moved = OkrEventFactory.For(_service, tenant).Period(eventType, next.WithVersion(current.Version + 1));
        var result = await _service.CommitAsync(tenant, new Storage.OkrChangeSet().Save(next, current.Version).Raise(moved), cancellationToken).ConfigureAwait(false);
        return result.Periods[0];
    }
}
