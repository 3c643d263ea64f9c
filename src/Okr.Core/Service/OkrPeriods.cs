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
        var changes = new Storage.OkrChangeSet();
        await JudgeAsync(tenant, null, stamped, changes, cancellationToken).ConfigureAwait(false);
        var created = OkrEventFactory.For(_service, tenant).Period(OkrEventTypes.PeriodCreated, stamped.WithVersion(1));
        var result = await _service.CommitAsync(tenant, changes.Save(stamped, 0).Raise(created), cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The periods a period holds (<see cref="OkrPeriod.Holds"/>), by first day, longer ones first on the same day: a
    /// year's quarters (and months), so the year's second quarter is the second of kind <see cref="PeriodKind.Quarter"/>.
    /// Their objectives may align to the holding period's, and its summaries, statuses and close count them as children.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The holding period, such as a year.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The held periods; empty for a period that holds none.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist.</exception>
    public ValueTask<IReadOnlyList<OkrPeriod>> ListHeldAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.periods.list_held", tenant, () => ListHeldCoreAsync(tenant, id, cancellationToken));

    private async ValueTask<IReadOnlyList<OkrPeriod>> ListHeldCoreAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken)
    {
        OkrService.CheckTenant(tenant);
        var period = await _service.RequirePeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        var held = await _service.Progress.HeldPeriodsAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        return [.. held.OrderBy(p => p.Dates.Start).ThenByDescending(p => p.Dates.End).ThenBy(p => p.Id)];
    }

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
        // A period that holds others (a year over its quarters) grades its own objectives with their children there,
        // and its commit also depends on those periods' content.
        var held = await _service.Progress.HeldPeriodsAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        var heldContent = new List<(PeriodId Id, Storage.PeriodContent Content)>(held.Count);
        foreach (var other in held)
        {
            heldContent.Add((other.Id, await _service.Store.GetPeriodContentAsync(tenant, other.Id, cancellationToken).ConfigureAwait(false)));
        }

        var rolledUp = await _service.Progress.RollUpAsync(tenant, id, cancellationToken, held).ConfigureAwait(false);
        var inOrder = rolledUp.Graph.ChildrenFirst().Reverse().Where(o => o.PeriodId == id).Select(o => rolledUp.Progress[o.Id]).ToList();
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
        foreach (var (heldId, heldCounted) in heldContent)
        {
            changes.ExpectContent(heldId, heldCounted);
        }

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

    /// <summary>
    /// Copies chosen objectives of one period into another, in one atomic write: each copy is a draft (or active, by
    /// option) with every field of its source (title, description, owner, kind, visibility, and each key result's
    /// measure, unit, stretch, weight, owner and progress source), new ids, no grade, and
    /// <see cref="Objective.CarriedFrom"/> naming the source. Baselines can start from the value in force at the end of
    /// the source period, and links are re-pointed, kept or dropped by <see cref="CarryOverOptions.Alignments"/>, with
    /// a report of what became of each.
    /// </summary>
    /// <remarks>
    /// <para>Idempotent: a copy's ids are derived from its source and the target period, so carrying an objective again
    /// writes nothing and reports the stored copy (<see cref="CarriedObjective.AlreadyCarried"/>). Of two calls racing
    /// to carry the same objective, one commits and the other fails with <see cref="OkrConcurrencyException"/>; run
    /// again, it reports the copy as already carried.</para>
    /// <para>All or nothing: any problem (an unknown or hidden objective, one of another period, a cancelled one, a
    /// closed target period, a copy made before that the actor may not read, a copy that breaks a rule) fails the whole call before anything is written. The write is
    /// conditional on both periods, every source and every parent it read (and, when rebasing, on the source period's
    /// content), so nothing it decided on can change underneath it.</para>
    /// <para>Access: the acting person must be able to read each source and to create each copy (as
    /// <see cref="OkrObjectives.CreateAsync"/> demands).</para>
    /// </remarks>
    /// <param name="tenant">The tenant.</param>
    /// <param name="from">The source period.</param>
    /// <param name="to">The target period: another period, not closed or archived.</param>
    /// <param name="objectives">The objectives of <paramref name="from"/> to carry, at least one; repeats are ignored.</param>
    /// <param name="options">Drafts or active, rebasing, links; <see cref="CarryOverOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per objective, in the order given.</returns>
    /// <exception cref="OkrValidationException">A problem named above; nothing was written.</exception>
    /// <exception cref="OkrNotFoundException">A period does not exist.</exception>
    /// <exception cref="OkrConcurrencyException">Something read changed meanwhile; nothing was written.</exception>
    public ValueTask<IReadOnlyList<CarriedObjective>> CarryOverAsync(TenantId tenant, PeriodId from, PeriodId to, IEnumerable<ObjectiveId> objectives, CarryOverOptions? options = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.periods.carry_over", tenant, () => CarryOverCoreAsync(tenant, from, to, objectives, options ?? CarryOverOptions.Default, cancellationToken));

    private async ValueTask<IReadOnlyList<CarriedObjective>> CarryOverCoreAsync(TenantId tenant, PeriodId from, PeriodId to, IEnumerable<ObjectiveId> objectives, CarryOverOptions options, CancellationToken cancellationToken)
    {
        OkrService.CheckTenant(tenant);
        ArgumentNullException.ThrowIfNull(objectives);
        var chosen = objectives.Distinct().ToList();
        var violations = new ViolationList();
        if (chosen.Count == 0)
        {
            violations.Add(OkrErrorCodes.Required, nameof(objectives), "Name at least one objective to carry over.");
        }

        if (from == to)
        {
            violations.Add(OkrErrorCodes.Invalid, nameof(to), "The target period is the source period; carry over into another period.");
        }

        if (options.Alignments is not (CarriedAlignments.Repoint or CarriedAlignments.Keep or CarriedAlignments.Drop))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(CarryOverOptions.Alignments), $"Unknown CarriedAlignments value {(int)options.Alignments}.");
        }

        violations.ThrowIfAny();

        // Count the source period's content first when rebasing: the baselines then stand on data the commit proves unchanged.
        Storage.PeriodContent? content = options.RebaseBaselines ? await _service.Store.GetPeriodContentAsync(tenant, from, cancellationToken).ConfigureAwait(false) : null;
        var source = await _service.RequirePeriodAsync(tenant, from, cancellationToken).ConfigureAwait(false);
        var target = await _service.RequirePeriodAsync(tenant, to, cancellationToken).ConfigureAwait(false);
        if (target.State is PeriodState.Closed or PeriodState.Archived)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.PeriodClosed, nameof(to), $"Period '{target.Name}' is {target.State}; carry over into a period in planning or active.")]);
        }

        var changes = new Storage.OkrChangeSet().Expect(source).Expect(target);
        if (content is { } counted)
        {
            changes.ExpectContent(from, counted);
        }

        // The sources, in one read, as the actor may see them: one that is hidden is reported as missing, like one that is.
        var byId = (await _service.Store.GetObjectivesAsync(tenant, chosen, cancellationToken).ConfigureAwait(false)).ToDictionary(o => o.Id);
        var sources = new List<Objective>(chosen.Count);
        for (var i = 0; i < chosen.Count; i++)
        {
            var member = $"{nameof(objectives)}[{i}]";
            var read = byId.GetValueOrDefault(chosen[i]);
            if (read is null || !await _service.CanReadAsync(tenant, read, cancellationToken).ConfigureAwait(false))
            {
                violations.Add(OkrErrorCodes.UnknownReference, member, $"Objective {chosen[i]} does not exist.");
            }
            else if (read.PeriodId != from)
            {
                violations.Add(OkrErrorCodes.Mismatch, member, $"Objective '{read.Title}' belongs to another period than '{source.Name}'.");
            }
            else if (read.State == ObjectiveState.Cancelled)
            {
                violations.Add(OkrErrorCodes.IllegalTransition, member, $"Objective '{read.Title}' is cancelled; only live or closed objectives are carried over.");
            }
            else
            {
                sources.Add(read);
                changes.Expect(read);
            }
        }

        violations.ThrowIfAny();

        // Copies made before (found by their derived ids, in one read) are reported, not written again; a missing one is
        // written at version 0, which the store refuses if a racing call wrote it first.
        var copyIds = sources.ToDictionary(o => o.Id, o => CopyId(tenant, o.Id, to));
        var stored = (await _service.Store.GetObjectivesAsync(tenant, copyIds.Values, cancellationToken).ConfigureAwait(false)).ToDictionary(o => o.Id);

        // A copy made before that the actor may not read (its owner made it private since) is not reported: its content
        // stays hidden, and the call fails naming only the source the actor asked about.
        for (var i = 0; i < sources.Count; i++)
        {
            if (stored.TryGetValue(copyIds[sources[i].Id], out var copy) && !await _service.CanReadAsync(tenant, copy, cancellationToken).ConfigureAwait(false))
            {
                violations.Add(OkrErrorCodes.DuplicateId, $"{nameof(objectives)}[{chosen.IndexOf(sources[i].Id)}]", $"Objective '{sources[i].Title}' was carried over into the target period before, and its copy is not visible to you.");
            }
        }

        violations.ThrowIfAny();
        var settings = await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false);
        var endValues = options.RebaseBaselines
            ? await EndValuesAsync(tenant, source, [.. sources.Where(o => !stored.ContainsKey(copyIds[o.Id]))], settings.TimeZone, cancellationToken).ConfigureAwait(false)
            : new Dictionary<KeyResultId, decimal>();

        // Parents' copies made before, for re-pointing links (a parent carried in this call is in copyIds).
        var earlier = new Dictionary<ObjectiveId, Objective?>();
        async ValueTask<Objective?> StoredCopyAsync(ObjectiveId original)
        {
            var id = CopyId(tenant, original, to);
            if (!earlier.TryGetValue(id, out var copy))
            {
                earlier[id] = copy = await _service.Store.GetObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false);
                changes.ExpectObjective(id, copy?.Version ?? 0);
            }

            // A copy the actor may not read is no parent to link to (as a hidden parent is missing to AlignAsync).
            return copy is not null && await _service.CanReadAsync(tenant, copy, cancellationToken).ConfigureAwait(false) ? copy : null;
        }

        var now = _service.Clock.GetCurrentInstant();
        var events = OkrEventFactory.For(_service, tenant);
        var results = new List<CarriedObjective>(sources.Count);
        var written = new List<int>();
        foreach (var original in sources)
        {
            if (stored.TryGetValue(copyIds[original.Id], out var carried))
            {
                results.Add(new CarriedObjective(original, carried, alreadyCarried: true, [], []));
                continue;
            }

            var rebased = new List<KeyResultId>();
            var keyResults = original.KeyResults.Select(k =>
            {
                var id = CopyId(tenant, k.Id, to);
                var measure = endValues.TryGetValue(k.Id, out var end) && Rebase(k.Measure, end) is { } moved ? moved : k.Measure;
                if (!ReferenceEquals(measure, k.Measure))
                {
                    rebased.Add(id);
                }

                return new KeyResult(id, k.Title, measure, k.Weight, k.Owner, k.ProgressSource, k.IsCancelled) { Cadence = k.Cadence, Metric = k.Metric };
            }).ToList();

            var links = new List<CarriedLink>(original.Alignments.Count);
            foreach (var link in original.Alignments)
            {
                links.Add(await CarryLinkAsync(tenant, link, target, options.Alignments, copyIds, StoredCopyAsync, changes, cancellationToken).ConfigureAwait(false));
            }

            var copy = new Objective(
                copyIds[original.Id],
                to,
                original.Title,
                original.Description,
                original.Owner,
                original.Kind,
                ObjectiveState.Draft,
                original.Visibility,
                keyResults,
                links.Where(l => l.Copy is not null).Select(l => l.Copy!),
                0,
                now,
                now,
                null,
                carriedFrom: original.Id) { Cadence = original.Cadence };
            if (options.Activate)
            {
                copy = copy.Activate(_service.Clock);
            }

            await _service.DemandWriteAsync(tenant, null, copy, cancellationToken).ConfigureAwait(false);
            violations.AddRange(settings.Rules.Check(new Rules.ObjectiveChange(null, copy, target, new HashSet<KeyResultId>())), $"{nameof(objectives)}[{chosen.IndexOf(original.Id)}]");
            var stamped = _service.Stamp(copy);
            changes.Save(stamped, 0);
            foreach (var e in events.Objective(null, stamped.WithVersion(1)))
            {
                changes.Raise(e);
            }

            written.Add(results.Count);
            results.Add(new CarriedObjective(original, stamped, alreadyCarried: false, links, rebased));
        }

        violations.ThrowIfAny();
        if (written.Count == 0)
        {
            return results;
        }

        var committed = await _service.CommitAsync(tenant, changes, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < written.Count; j++)
        {
            var r = results[written[j]];
            results[written[j]] = new CarriedObjective(r.Source, committed.Objectives[j], alreadyCarried: false, r.Links, r.Rebased);
        }

        return results;
    }

    // A copy's id, derived from its source and the target period: what makes carrying idempotent.
    private static ObjectiveId CopyId(TenantId tenant, ObjectiveId original, PeriodId to) => new(CarryOverGuid(tenant, original.Value, to));

    private static KeyResultId CopyId(TenantId tenant, KeyResultId original, PeriodId to) => new(CarryOverGuid(tenant, original.Value, to));

    private static Guid CarryOverGuid(TenantId tenant, Guid original, PeriodId to) =>
        OkrEventFactory.DerivedId(tenant, original, "carry-over:" + to.Value.ToString("D"));

    private async ValueTask<CarriedLink> CarryLinkAsync(
        TenantId tenant,
        AlignmentLink link,
        OkrPeriod target,
        CarriedAlignments mode,
        Dictionary<ObjectiveId, ObjectiveId> copyIds,
        Func<ObjectiveId, ValueTask<Objective?>> storedCopy,
        Storage.OkrChangeSet changes,
        CancellationToken cancellationToken)
    {
        if (mode == CarriedAlignments.Drop)
        {
            return new CarriedLink(link, null, CarriedLinkOutcome.Dropped);
        }

        if (mode == CarriedAlignments.Repoint)
        {
            var parentKeyResult = link.ParentKeyResultId is { } kr ? CopyId(tenant, kr, target.Id) : (KeyResultId?)null;
            if (copyIds.TryGetValue(link.ParentObjectiveId, out var sameCall))
            {
                return new CarriedLink(link, new AlignmentLink(sameCall, parentKeyResult, link.Weight, link.Kind), CarriedLinkOutcome.Repointed);
            }

            if (await storedCopy(link.ParentObjectiveId).ConfigureAwait(false) is { } before)
            {
                // A copy edited since it was made may have lost the key result the link pointed to.
                return parentKeyResult is { } k && before.FindKeyResult(k) is null
                    ? new CarriedLink(link, null, CarriedLinkOutcome.Dropped)
                    : new CarriedLink(link, new AlignmentLink(before.Id, parentKeyResult, link.Weight, link.Kind), CarriedLinkOutcome.Repointed);
            }
        }

        // Kept only where the parent's period holds the target period (an annual objective over its quarters).
        var parent = await _service.Store.GetObjectiveAsync(tenant, link.ParentObjectiveId, cancellationToken).ConfigureAwait(false);
        changes.ExpectObjective(link.ParentObjectiveId, parent?.Version ?? 0);
        var period = parent is null ? null
            : parent.PeriodId == target.Id ? target
            : await _service.Store.GetPeriodAsync(tenant, parent.PeriodId, cancellationToken).ConfigureAwait(false);
        if (period is not null && parent!.State != ObjectiveState.Cancelled && period.Dates.Start <= target.Dates.Start && period.Dates.End >= target.Dates.End)
        {
            changes.Expect(period);
            return new CarriedLink(link, link, CarriedLinkOutcome.Kept);
        }

        return new CarriedLink(link, null, CarriedLinkOutcome.Dropped);
    }

    /// <summary>The value in force of each key result at the end of the source period, in the tenant's zone, with corrections applied.</summary>
    private async ValueTask<Dictionary<KeyResultId, decimal>> EndValuesAsync(TenantId tenant, OkrPeriod period, List<Objective> sources, NodaTime.DateTimeZone zone, CancellationToken cancellationToken)
    {
        var end = period.InstantsIn(zone).End;
        var ids = sources.SelectMany(o => o.KeyResults).Select(k => k.Id).ToList();
        var histories = await _service.Store.GetHistoriesAsync(tenant, ids, cancellationToken).ConfigureAwait(false);
        var values = new Dictionary<KeyResultId, decimal>();
        foreach (var (id, history) in histories)
        {
            // In force just before the end: the last instant of the period's last day.
            if (CheckInHistory.AsOf(history, end - NodaTime.Duration.Epsilon) is { } last)
            {
                values[id] = last.Value;
            }
        }

        return values;
    }

    /// <summary>The measure started from <paramref name="value"/>; null when it has no baseline or the value already reached the first level.</summary>
    private static Measure? Rebase(Measure measure, decimal value)
    {
        try
        {
            return measure switch
            {
                IncreaseMeasure m when value != m.Baseline && value < m.Target => new IncreaseMeasure(value, m.Target, m.Stretch, m.Unit),
                DecreaseMeasure m when value != m.Baseline && value > m.Target => new DecreaseMeasure(value, m.Target, m.Stretch, m.Unit),
                StagedMeasure m when value != m.Baseline && (m.IsIncreasing ? value < m.Commit : value > m.Commit) => new StagedMeasure(value, m.Commit, m.Target, m.Stretch, m.Unit),
                _ => null,
            };
        }
        catch (OkrValidationException)
        {
            return null;
        }
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
        var changes = new Storage.OkrChangeSet();
        if (next.State == PeriodState.Active)
        {
            await JudgeAsync(tenant, current, next, changes, cancellationToken).ConfigureAwait(false);
        }

        // Conditional on the version read: of two moves racing (archive and reopen), one commits.
        var moved = OkrEventFactory.For(_service, tenant).Period(eventType, next.WithVersion(current.Version + 1));
        var result = await _service.CommitAsync(tenant, changes.Save(next, current.Version).Raise(moved), cancellationToken).ConfigureAwait(false);
        return result.Periods[0];
    }

    /// <summary>
    /// Runs the period rules (<see cref="Rules.PeriodSanityRule"/> by default) against every other period of the tenant,
    /// and makes the unit conditional on all of them and on their number: whatever period is created, activated or
    /// changed meanwhile, the write then fails instead of breaking the rule.
    /// </summary>
    private async ValueTask JudgeAsync(TenantId tenant, OkrPeriod? before, OkrPeriod after, Storage.OkrChangeSet changes, CancellationToken cancellationToken)
    {
        var rules = (await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false)).Rules;
        if (rules.PeriodRules.Count == 0)
        {
            return;
        }

        var others = new List<OkrPeriod>();
        await foreach (var p in _service.Store.ListPeriodsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (p.Id != after.Id)
            {
                others.Add(p);
            }
        }

        var violations = rules.Check(new Rules.PeriodChange(before, after, others));
        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }

        foreach (var other in others)
        {
            changes.Expect(other);
        }

        changes.ExpectPeriodCount(others.Count + (before is null ? 0 : 1));
    }
}
