namespace Okr.Core.Service;

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
