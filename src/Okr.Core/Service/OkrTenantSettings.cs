using NodaTime;
using Okr.Core.Health;
using Okr.Core.Rules;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>
/// One tenant's own settings, over the process-wide <see cref="OkrServiceOptions"/>: a member left null keeps the
/// process-wide value. Supplied by the host's <see cref="IOkrTenantSettingsProvider"/>.
/// </summary>
public sealed record OkrTenantSettings
{
    /// <summary>The tenant's time zone: when its period days begin and end (elapsed share, health, forecasts, report axes).</summary>
    public DateTimeZone? TimeZone { get; init; }

    /// <summary>The rules checked before the tenant's writes.</summary>
    public OkrRules? Rules { get; init; }

    /// <summary>Scoring and roll-up of the tenant's objectives.</summary>
    public OkrScoring? Scoring { get; init; }

    /// <summary>How the tenant's key results and objectives are judged.</summary>
    public IHealthPolicy? Health { get; init; }

    /// <summary>What counts as meeting an objective when the tenant's periods close.</summary>
    public AssessmentOptions? Assessment { get; init; }
}

/// <summary>
/// The host's source of each tenant's settings (a table of customers, a configuration service). Asked when a tenant's
/// answer is not cached: the first time, after <see cref="OkrServiceOptions.TenantSettingsCacheDuration"/> has passed,
/// or after <see cref="OkrService.InvalidateTenantSettings(TenantId)"/> (calls that arrive together at that moment may
/// each ask, so the provider must be thread-safe). The cache belongs to the provider instance: every service that uses
/// it shares the answers.
/// </summary>
public interface IOkrTenantSettingsProvider
{
    /// <summary>The tenant's settings, or null when it has none of its own (the process-wide settings apply).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The settings.</returns>
    ValueTask<OkrTenantSettings?> GetAsync(TenantId tenant, CancellationToken cancellationToken);
}
