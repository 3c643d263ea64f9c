using NodaTime;

namespace Okr.Core.Events;

/// <summary>Something that happened to a tenant's OKRs, published by <see cref="Service.OkrService"/> after the write committed.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="At">When it happened, from the service's clock.</param>
public abstract record OkrEvent(TenantId Tenant, Instant At);

/// <summary>A draft objective was stored.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="At">When.</param>
/// <param name="Objective">The stored objective.</param>
public sealed record ObjectiveCreated(TenantId Tenant, Instant At, Objective Objective) : OkrEvent(Tenant, At);

/// <summary>An objective moved from Draft to Active.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="At">When.</param>
/// <param name="Objective">The stored objective.</param>
public sealed record ObjectiveActivated(TenantId Tenant, Instant At, Objective Objective) : OkrEvent(Tenant, At);

/// <summary>An objective was closed with its final grade.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="At">When.</param>
/// <param name="Objective">The stored objective, carrying its grade.</param>
public sealed record ObjectiveClosed(TenantId Tenant, Instant At, Objective Objective) : OkrEvent(Tenant, At);

/// <summary>A check-in (or a correction) was appended.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="At">When.</param>
/// <param name="CheckIn">The check-in.</param>
/// <param name="Objective">The objective that holds its key result.</param>
public sealed record CheckInRecorded(TenantId Tenant, Instant At, CheckIn CheckIn, Objective Objective) : OkrEvent(Tenant, At);

/// <summary>A period was closed; its objectives are graded.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="At">When.</param>
/// <param name="Period">The closed period.</param>
/// <param name="Assessment">The grades.</param>
public sealed record PeriodClosed(TenantId Tenant, Instant At, OkrPeriod Period, Scoring.PeriodAssessment Assessment) : OkrEvent(Tenant, At);

/// <summary>
/// A check-in changed a key result's health (for example from on track to at risk). Raised after the check-ins
/// commit, for each key result whose status now differs from the status its previous check-in reported (as of
/// when that was recorded; stale or no data when there was none). Health that drifts with time alone, with no
/// check-in, shows in the next summary instead.
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="At">When the change was recorded.</param>
/// <param name="Objective">The objective that holds the key result.</param>
/// <param name="KeyResult">The key result.</param>
/// <param name="Previous">The health the previous check-in reported.</param>
/// <param name="Current">The health after them.</param>
public sealed record HealthChanged(TenantId Tenant, Instant At, Objective Objective, KeyResult KeyResult, Health.HealthAssessment Previous, Health.HealthAssessment Current) : OkrEvent(Tenant, At);

/// <summary>
/// Receives events after their write committed. A handler that throws is reported to
/// <see cref="Service.OkrServiceOptions.OnSubscriberFailure"/> and never undoes or loses the write; the
/// other handlers still run.
/// </summary>
public interface IOkrEventSubscriber
{
    /// <summary>Handles one event.</summary>
    /// <param name="okrEvent">The event.</param>
    /// <param name="cancellationToken">The calling operation's token.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken);
}
