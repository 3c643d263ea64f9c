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
    /// <exception cref="OkrValidationException">A period with that id already exists.</exception>
    public async ValueTask<OkrPeriod> CreateAsync(TenantId tenant, OkrPeriod period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        await _service.DemandManagePeriodsAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (await _service.Store.GetPeriodAsync(tenant, period.Id, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(OkrPeriod.Id), $"Period {period.Id} already exists.")]);
        }

        var stamped = period.WithChange(_service.Actor, _service.Clock.GetCurrentInstant());
        await _service.Store.SavePeriodAsync(tenant, stamped, cancellationToken).ConfigureAwait(false);
        return stamped;
    }

    /// <summary>Reads a period.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The period.</returns>
    /// <exception cref="OkrNotFoundException">It does not exist.</exception>
    public ValueTask<OkrPeriod> GetAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        _service.RequirePeriodAsync(tenant, id, cancellationToken);

    /// <summary>Moves a period from Planning to Active.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The active period.</returns>
    public ValueTask<OkrPeriod> ActivateAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        MoveAsync(tenant, id, p => p.Activate(), cancellationToken);

    /// <summary>Moves a period from Closed to Archived.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The archived period.</returns>
    public ValueTask<OkrPeriod> ArchiveAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        MoveAsync(tenant, id, p => p.Archive(), cancellationToken);

    /// <summary>Moves a period from Closed back to Active, recording why.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="reason">Why; not blank.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The active period.</returns>
    public ValueTask<OkrPeriod> ReopenAsync(TenantId tenant, PeriodId id, string reason, CancellationToken cancellationToken = default) =>
        MoveAsync(tenant, id, p => p.Reopen(reason), cancellationToken);

    /// <summary>
    /// Closes a period: every active objective is graded (its computed grade, or the override given for
    /// it) and closed, then the period becomes read-only. Drafts stay drafts. Running it again after a
    /// failure part-way finishes the job: already closed objectives are skipped.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="overrides">Grade overrides by objective, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The assessment of the period.</returns>
    /// <exception cref="OkrValidationException">The period is not active, or an override is invalid; nothing was written.</exception>
    public async ValueTask<PeriodAssessment> CloseAsync(TenantId tenant, PeriodId id, IReadOnlyDictionary<ObjectiveId, GradeOverride>? overrides = null, CancellationToken cancellationToken = default)
    {
        using var activity = OkrTelemetry.Source.StartActivity("okr.period.close");
        activity?.SetTag("okr.tenant", tenant.ToString());
        await _service.DemandManagePeriodsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var period = await _service.RequirePeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        var closed = period.Close().WithChange(_service.Actor, _service.Clock.GetCurrentInstant());

        // The closing grades every objective of the period, whoever may see it: it runs as the system.
        var system = _service.Actor is null ? _service : new OkrService(_service.Store, _service.Clock, _service.Options);
        var summary = await system.Progress.SummarizeAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        var assessor = new OkrAssessor(_service.Options.Scoring, _service.Options.Assessment);

        // Grade everything first, so an invalid override fails before anything is written.
        var assessments = summary.Objectives
            .Where(o => o.Progress.Objective.State is ObjectiveState.Active or ObjectiveState.Closed)
            .Select(o =>
            {
                var a = assessor.Assess(o.Progress);
                if (o.Progress.Objective.Grade is { } stored)
                {
                    return a with { Grade = stored };
                }

                return overrides is not null && overrides.TryGetValue(o.Progress.Objective.Id, out var over) ? a.OverrideGrade(over.Value, over.By, over.Reason) : a;
            })
            .ToList();

        var final = new List<ObjectiveAssessment>();
        var newlyClosed = new List<Objective>();
        foreach (var a in assessments)
        {
            var objective = a.Objective;
            if (objective.State == ObjectiveState.Active)
            {
                objective = await _service.Store.SaveObjectiveAsync(tenant, _service.Stamp(objective.Close(a.Grade, _service.Clock)), objective.Version, cancellationToken).ConfigureAwait(false);
                newlyClosed.Add(objective);
            }

            final.Add(a with { Objective = objective });
        }

        await _service.Store.SavePeriodAsync(tenant, closed, cancellationToken).ConfigureAwait(false);
        var result = assessor.AssessPeriod(final);
        var now = _service.Clock.GetCurrentInstant();
        foreach (var objective in newlyClosed)
        {
            await _service.PublishAsync(new ObjectiveClosed(tenant, now, objective), cancellationToken).ConfigureAwait(false);
        }

        await _service.PublishAsync(new PeriodClosed(tenant, now, closed, result), cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The audit trail of a period: every stored version, oldest first, each with who changed it and when.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions; the last is the current one.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist.</exception>
    public async ValueTask<IReadOnlyList<OkrPeriod>> HistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default)
    {
        await _service.RequirePeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        var versions = new List<OkrPeriod>();
        await foreach (var version in _service.Store.ListPeriodHistoryAsync(tenant, id, cancellationToken).ConfigureAwait(false))
        {
            versions.Add(version);
        }

        return versions;
    }

    private async ValueTask<OkrPeriod> MoveAsync(TenantId tenant, PeriodId id, Func<OkrPeriod, OkrPeriod> move, CancellationToken cancellationToken)
    {
        await _service.DemandManagePeriodsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var next = move(await _service.RequirePeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false)).WithChange(_service.Actor, _service.Clock.GetCurrentInstant());
        await _service.Store.SavePeriodAsync(tenant, next, cancellationToken).ConfigureAwait(false);
        return next;
    }
}
