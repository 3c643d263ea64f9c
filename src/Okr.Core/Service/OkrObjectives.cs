using System.Runtime.CompilerServices;
using Okr.Core.Events;
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
    public async ValueTask<Objective> CreateAsync(TenantId tenant, Objective draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.State != ObjectiveState.Draft)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.IllegalTransition, nameof(Objective.State), $"A new objective starts as a Draft, not {draft.State}.")]);
        }

        await _service.DemandWriteAsync(tenant, null, draft, cancellationToken).ConfigureAwait(false);
        var period = await _service.RequirePeriodAsync(tenant, draft.PeriodId, cancellationToken).ConfigureAwait(false);
        var violations = _service.Options.Rules.Check(new ObjectiveChange(null, draft, period, new HashSet<KeyResultId>())).ToList();
        violations.AddRange(await CheckLinksAsync(tenant, draft, cancellationToken).ConfigureAwait(false));
        Throw(violations);
        var stored = await _service.Store.SaveObjectiveAsync(tenant, _service.Stamp(draft), 0, cancellationToken).ConfigureAwait(false);
        await _service.PublishAsync(new ObjectiveCreated(tenant, _service.Clock.GetCurrentInstant(), stored), cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>
    /// Applies an edit to the stored objective, checks every rule and link, and writes it with the
    /// version that was read. The edit gets the stored objective and the service's clock.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="edit">The change, for example <c>(o, clock) =&gt; o.WithTitle("…", clock)</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored objective.</returns>
    /// <exception cref="OkrValidationException">The edit or a rule fails; nothing was written.</exception>
    /// <exception cref="OkrConcurrencyException">Someone else changed the objective meanwhile; nothing was written.</exception>
    /// <exception cref="OkrNotFoundException">The objective or its period does not exist.</exception>
    public async ValueTask<Objective> EditAsync(TenantId tenant, ObjectiveId id, Func<Objective, NodaTime.IClock, Objective> edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var before = await _service.RequireObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        await _service.DemandReadAsync(tenant, before, cancellationToken).ConfigureAwait(false);
        var after = edit(before, _service.Clock) ?? throw new ArgumentException("The edit returned null.", nameof(edit));
        if (after.Id != before.Id)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.Mismatch, nameof(Objective.Id), "An edit cannot change the objective's id.")]);
        }

        await _service.DemandWriteAsync(tenant, before, after, cancellationToken).ConfigureAwait(false);

        var period = await _service.RequirePeriodAsync(tenant, after.PeriodId, cancellationToken).ConfigureAwait(false);
        var withCheckIns = await _service.Store.GetValuesAsOfAsync(tenant, [.. before.KeyResults.Select(k => k.Id)], OkrStoreFormat.MaxInstant, null, cancellationToken).ConfigureAwait(false);
        var violations = _service.Options.Rules.Check(new ObjectiveChange(before, after, period, withCheckIns.Keys.ToHashSet())).ToList();
        if (before.PeriodId != after.PeriodId && await _service.Store.GetPeriodAsync(tenant, before.PeriodId, cancellationToken).ConfigureAwait(false) is { IsWritable: false } old)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.PeriodClosed, nameof(Objective.PeriodId), $"Period '{old.Name}' is {old.State}; its objectives cannot move out."));
        }

        if (!before.Alignments.SequenceEqual(after.Alignments))
        {
            violations.AddRange(await CheckLinksAsync(tenant, after, cancellationToken).ConfigureAwait(false));
        }

        Throw(violations);
        return await _service.Store.SaveObjectiveAsync(tenant, _service.Stamp(after), before.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves a draft to Active (the rules check it has 3–5 key results and an open period).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The active objective.</returns>
    public async ValueTask<Objective> ActivateAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default)
    {
        var active = await EditAsync(tenant, id, static (o, clock) => o.Activate(clock), cancellationToken).ConfigureAwait(false);
        await _service.PublishAsync(new ObjectiveActivated(tenant, _service.Clock.GetCurrentInstant(), active), cancellationToken).ConfigureAwait(false);
        return active;
    }

    /// <summary>Cancels a draft or active objective; it stays for the record and never counts.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cancelled objective.</returns>
    public ValueTask<Objective> CancelAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) =>
        EditAsync(tenant, id, static (o, clock) => o.Cancel(clock), cancellationToken);

    /// <summary>Adds a key result.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="keyResult">The key result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored objective.</returns>
    public ValueTask<Objective> AddKeyResultAsync(TenantId tenant, ObjectiveId id, KeyResult keyResult, CancellationToken cancellationToken = default) =>
        EditAsync(tenant, id, (o, clock) => o.AddKeyResult(keyResult, clock), cancellationToken);

    /// <summary>
    /// Aligns an objective to a parent objective or key result. Rejected, with the cycle's path, when
    /// the link would close a cycle; also when the parent is missing or its period does not contain the child's.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="child">The objective that aligns.</param>
    /// <param name="link">The link to its parent.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored objective.</returns>
    public ValueTask<Objective> AlignAsync(TenantId tenant, ObjectiveId child, AlignmentLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        return EditAsync(tenant, child, (o, clock) => o.WithAlignments([.. o.Alignments.Where(a => !a.HasSameParentAs(link)), link], clock), cancellationToken);
    }

    /// <summary>Reads an objective.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The objective.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="OkrNotFoundException">It does not exist.</exception>
    public async ValueTask<Objective> GetAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default)
    {
        var objective = await _service.RequireObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        await _service.DemandReadAsync(tenant, objective, cancellationToken).ConfigureAwait(false);
        return objective;
    }

    /// <summary>Lists objectives.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The objectives, by id.</returns>
    public async IAsyncEnumerable<Objective> ListAsync(TenantId tenant, ObjectiveQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var o in _service.Store.ListObjectivesAsync(tenant, query ?? ObjectiveQuery.All, cancellationToken).ConfigureAwait(false))
        {
            // What the actor may not read is left out, not reported.
            if (await _service.CanReadAsync(tenant, o, cancellationToken).ConfigureAwait(false))
            {
                yield return o;
            }
        }
    }

    /// <summary>Checks each link: the parent and its key result exist, the periods nest, and no cycle closes (walking up through the store).</summary>
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
    public async ValueTask<IReadOnlyList<ObjectiveRevision>> HistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default)
    {
        var current = await _service.RequireObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        await _service.DemandReadAsync(tenant, current, cancellationToken).ConfigureAwait(false);
        var revisions = new List<ObjectiveRevision>();
        Objective? previous = null;
        await foreach (var version in _service.Store.ListObjectiveHistoryAsync(tenant, id, cancellationToken).ConfigureAwait(false))
        {
            revisions.Add(new ObjectiveRevision(version, ObjectiveRevision.Compare(previous, version)));
            previous = version;
        }

        return revisions;
    }

    private async ValueTask<List<OkrViolation>> CheckLinksAsync(TenantId tenant, Objective objective, CancellationToken cancellationToken)
    {
        var violations = new List<OkrViolation>();
        var cache = new Dictionary<ObjectiveId, Objective?>();
        async ValueTask<Objective?> Load(ObjectiveId id)
        {
            if (!cache.TryGetValue(id, out var o))
            {
                cache[id] = o = await _service.Store.GetObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false);
            }

            return o;
        }

        for (var i = 0; i < objective.Alignments.Count; i++)
        {
            var link = objective.Alignments[i];
            var member = $"Alignments[{i}]";
            var parent = await Load(link.ParentObjectiveId).ConfigureAwait(false);
            if (parent is null)
            {
                violations.Add(new OkrViolation(OkrErrorCodes.AlignmentTargetMissing, member, $"The parent objective {link.ParentObjectiveId} does not exist."));
                continue;
            }

            if (link.ParentKeyResultId is { } kr && parent.FindKeyResult(kr) is null)
            {
                violations.Add(new OkrViolation(OkrErrorCodes.AlignmentTargetMissing, member, $"Objective '{parent.Title}' has no key result {kr}."));
            }

            if (_service.Options.RequireChildPeriodInsideParent && parent.PeriodId != objective.PeriodId)
            {
                var mine = await _service.Store.GetPeriodAsync(tenant, objective.PeriodId, cancellationToken).ConfigureAwait(false);
                var theirs = await _service.Store.GetPeriodAsync(tenant, parent.PeriodId, cancellationToken).ConfigureAwait(false);
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
                    violations.Add(Alignment.AlignmentGraph.CycleError(path).Violations[0] with { Member = member });
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

    private static void Throw(List<OkrViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }
    }
}
