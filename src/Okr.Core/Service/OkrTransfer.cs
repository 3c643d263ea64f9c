using Okr.Core.Rules;
using Okr.Core.Serialization;
using Okr.Core.Storage;

namespace Okr.Core.Service;

/// <summary>
/// The transfer part of <see cref="OkrService"/>: whole documents in and out, with the rules. Use it for imports
/// from users and other tools; <see cref="IOkrStore.ImportAsync"/> stays the path for trusted migrations, which skips
/// the business rules and the access policy (but not the data's own integrity).
/// </summary>
public sealed class OkrTransfer
{
    private readonly OkrService _service;

    internal OkrTransfer(OkrService service) => _service = service;

    /// <summary>
    /// Imports a document after checking all of it, then writes it in one atomic commit. Checked before anything is
    /// written: the tenant; no id twice; every link resolving within the document or the store (parent and key result),
    /// inside the parent's period when <see cref="OkrServiceOptions.RequireChildPeriodInsideParent"/> is set; no cycle in
    /// the resulting graph; every objective against the rules (key-result counts of active objectives, text limits,
    /// measures frozen by stored check-ins), its period in the document or the store; every check-in against its key
    /// result (measured, value accepted, the corrected check-in present) and not recorded after now. A closed period
    /// and closed objectives are accepted: a document may carry history. Every violation is reported at once, each
    /// with its JSON path. The commit expects every stored item the checks read to be unchanged.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="document">The document, for example from <see cref="OkrJson.Deserialize(string, OkrJsonOptions?)"/>.</param>
    /// <param name="cancellationToken">Cancels the call; nothing is written then.</param>
    /// <returns>What was written: the periods and objectives with their new versions, and how many check-ins were new.</returns>
    /// <exception cref="OkrValidationException">The document breaks a rule; nothing was written.</exception>
    /// <exception cref="OkrAccessDeniedException">The actor may not import (<see cref="Access.IOkrAccessPolicy.CanTransferAsync"/>).</exception>
    /// <exception cref="OkrConcurrencyException">Something the checks read changed before the commit; nothing was written.</exception>
    public ValueTask<OkrCommitResult> ImportAsync(TenantId tenant, OkrDocument document, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.transfer.import", tenant, () => ImportCoreAsync(tenant, document, cancellationToken));

    private async ValueTask<OkrCommitResult> ImportCoreAsync(TenantId tenant, OkrDocument document, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        ArgumentNullException.ThrowIfNull(document);
        await _service.DemandTransferAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (document.TenantId != tenant)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.Mismatch, "$.tenant", $"The document belongs to tenant {document.TenantId}, not {tenant}.")]);
        }

        var store = _service.Store;
        var rules = (await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false)).Rules;
        var changes = new OkrChangeSet();
        var (violations, walked) = await ImportChecks.CheckAsync(document, LoadAsync, cancellationToken).ConfigureAwait(false);
        foreach (var o in walked.Values)
        {
            changes.Expect(o);
        }

        // What the document replaces, and the periods its objectives live in.
        var storedPeriods = new Dictionary<PeriodId, OkrPeriod?>();
        async ValueTask<OkrPeriod?> PeriodAsync(PeriodId id)
        {
            if (!storedPeriods.TryGetValue(id, out var p))
            {
                storedPeriods[id] = p = await store.GetPeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false);
            }

            return p;
        }

        var documentPeriods = document.Periods.DistinctBy(p => p.Id).ToDictionary(p => p.Id);
        foreach (var p in documentPeriods.Values)
        {
            changes.Save(p, (await PeriodAsync(p.Id).ConfigureAwait(false))?.Version ?? 0);
        }

        // What the document replaces, in one read.
        var replaced = (await store.GetObjectivesAsync(tenant, [.. document.Objectives.Select(o => o.Id).Distinct()], cancellationToken).ConfigureAwait(false)).ToDictionary(o => o.Id);

        var withCheckIns = replaced.Count == 0
            ? new HashSet<KeyResultId>()
            : (await store.GetValuesAsOfAsync(tenant, [.. replaced.Values.SelectMany(o => o.KeyResults).Select(k => k.Id)], OkrStoreFormat.MaxInstant, null, cancellationToken).ConfigureAwait(false)).Keys.ToHashSet();
        var objectivesById = new Dictionary<ObjectiveId, Objective>(walked);
        for (var i = 0; i < document.Objectives.Count; i++)
        {
            var o = document.Objectives[i];
            objectivesById[o.Id] = o;
            var path = $"$.objectives[{i}]";
            var period = documentPeriods.GetValueOrDefault(o.PeriodId) ?? await PeriodAsync(o.PeriodId).ConfigureAwait(false);
            if (period is null)
            {
                violations.Add(new OkrViolation(OkrErrorCodes.Mismatch, path + ".periodId", $"Period {o.PeriodId} is neither in the document nor stored."));
                continue;
            }

            if (!documentPeriods.ContainsKey(period.Id))
            {
                changes.Expect(period);
            }

            // A document may carry history: closed periods are not refused here, everything else is.
            var before = replaced.GetValueOrDefault(o.Id);
            violations.AddRange(rules.Check(new ObjectiveChange(before, o, period, withCheckIns))
                .Where(v => v.Code != OkrErrorCodes.PeriodClosed)
                .Select(v => v with { Member = ImportChecks.Path(path, v.Member) }));
            if (_service.Options.RequireChildPeriodInsideParent)
            {
                await CheckNestingAsync(o, path, period).ConfigureAwait(false);
            }
        }

        foreach (var o in document.Objectives.DistinctBy(o => o.Id))
        {
            changes.Save(o, replaced.GetValueOrDefault(o.Id)?.Version ?? 0);
        }

        await CheckCheckInsAsync().ConfigureAwait(false);
        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }

        changes.Raise(OkrEventFactory.For(_service, tenant).Make(Events.OkrEventTypes.ImportCompleted, new Serialization.EventDataDto
        {
            Import = new Serialization.ImportCountsDto { Periods = document.Periods.Count, Objectives = document.Objectives.Count, CheckIns = document.CheckIns.Count },
        }));
        return await _service.CommitAsync(tenant, changes.Append(document.CheckIns), cancellationToken).ConfigureAwait(false);

        // The upward walk reads one level of parents per store call.
        ValueTask<IReadOnlyList<Objective>> LoadAsync(IReadOnlyCollection<ObjectiveId> ids, CancellationToken token) => store.GetObjectivesAsync(tenant, ids, token);

        async ValueTask CheckNestingAsync(Objective child, string path, OkrPeriod period)
        {
            for (var j = 0; j < child.Alignments.Count; j++)
            {
                if (objectivesById.GetValueOrDefault(child.Alignments[j].ParentObjectiveId) is not { } parent || parent.PeriodId == child.PeriodId)
                {
                    continue;
                }

                var theirs = documentPeriods.GetValueOrDefault(parent.PeriodId) ?? await PeriodAsync(parent.PeriodId).ConfigureAwait(false);
                if (theirs is not null && (period.Dates.Start < theirs.Dates.Start || period.Dates.End > theirs.Dates.End))
                {
                    violations.Add(new OkrViolation(OkrErrorCodes.AlignmentPeriod, $"{path}.alignments[{j}]", $"Period '{period.Name}' does not lie inside the parent's period '{theirs.Name}'."));
                }
            }
        }

        async ValueTask CheckCheckInsAsync()
        {
            var owners = new Dictionary<KeyResultId, Objective>();
            foreach (var o in document.Objectives)
            {
                foreach (var k in o.KeyResults)
                {
                    owners.TryAdd(k.Id, o);
                }
            }

            var outside = document.CheckIns.Select(c => c.KeyResultId).Where(k => !owners.ContainsKey(k)).Distinct().ToList();
            if (outside.Count > 0)
            {
                foreach (var (kr, o) in await store.FindObjectivesByKeyResultsAsync(tenant, outside, cancellationToken).ConfigureAwait(false))
                {
                    owners[kr] = o;
                    if (!objectivesById.ContainsKey(o.Id))
                    {
                        objectivesById[o.Id] = o;
                        changes.Expect(o);
                    }
                }
            }

            var inDocument = document.CheckIns.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());
            var now = _service.Clock.GetCurrentInstant();
            for (var i = 0; i < document.CheckIns.Count; i++)
            {
                var c = document.CheckIns[i];
                var path = $"$.checkIns[{i}]";
                if (c.RecordedAt > now)
                {
                    violations.Add(new OkrViolation(OkrErrorCodes.OutOfRange, path + ".recordedAt", $"RecordedAt ({c.RecordedAt}) lies after the current time ({now}): it would stay invisible to as-of reads until then."));
                }

                if (owners.GetValueOrDefault(c.KeyResultId) is not { } objective)
                {
                    violations.Add(new OkrViolation(OkrErrorCodes.Mismatch, path + ".keyResultId", $"No objective in the document or the store holds key result {c.KeyResultId}."));
                    continue;
                }

                var period = documentPeriods.GetValueOrDefault(objective.PeriodId) ?? await PeriodAsync(objective.PeriodId).ConfigureAwait(false);
                if (period is null)
                {
                    continue;   // reported with the objective
                }

                CheckIn? corrected = null;
                if (c.Corrects is { } target)
                {
                    corrected = inDocument.GetValueOrDefault(target) ?? await store.GetCheckInAsync(tenant, target, cancellationToken).ConfigureAwait(false);
                }

                // History again: check-ins of closed objectives and periods, and ones effective outside their period's
                // window (data from another system), are accepted; the value must still fit.
                violations.AddRange(rules.Check(new CheckInChange(c, objective, period, corrected))
                    .Where(v => v.Code is not (OkrErrorCodes.PeriodClosed or OkrErrorCodes.ReadOnlyState or OkrErrorCodes.CheckInOutsidePeriod))
                    .Select(v => v with { Member = ImportChecks.Path(path, v.Member) }));
            }
        }
    }

    /// <summary>
    /// Exports a tenant's data (or one period's) as a document, for backups and other tools, stamped with the service
    /// clock's instant (<see cref="OkrDocument.ExportedAt"/>, written as <c>exportedAt</c>).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">One period, or null for everything.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The document.</returns>
    /// <exception cref="OkrAccessDeniedException">The actor may not export (<see cref="Access.IOkrAccessPolicy.CanTransferAsync"/>): a document holds every objective, whatever its visibility.</exception>
    public ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.transfer.export", tenant, () => ExportCoreAsync(tenant, period, cancellationToken));

    private async ValueTask<OkrDocument> ExportCoreAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        await _service.DemandTransferAsync(tenant, cancellationToken).ConfigureAwait(false);
        var document = await _service.Store.ExportAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        return document with { ExportedAt = _service.Clock.GetCurrentInstant() };
    }
}
