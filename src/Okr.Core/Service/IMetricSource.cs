using NodaTime;

namespace Okr.Core.Service;

/// <summary>
/// A system of record a host plugs in (a CRM, a data warehouse, a spreadsheet): given the keys of the figures key results
/// are bound to (<see cref="MetricBinding"/>), the value of each as of an instant. The DI package's hosted job polls
/// registered sources on their schedule and records what they return (docs/metric-sources.md).
/// </summary>
public interface IMetricSource
{
    /// <summary>The name key results are bound by (<see cref="MetricBinding.Source"/>).</summary>
    string Name { get; }

    /// <summary>Who the source's check-ins are recorded as: a source owner, such as a service account.</summary>
    OwnerRef Owner { get; }

    /// <summary>How often the source is read (the hosted job looks every second, or more often for a shorter interval).</summary>
    Duration PollInterval { get; }

    /// <summary>The tenants the source serves, asked on every poll.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tenants.</returns>
    ValueTask<IReadOnlyCollection<TenantId>> TenantsAsync(CancellationToken cancellationToken);

    /// <summary>Reads figures of one tenant.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keys">The keys key results of the tenant's active periods are bound to.</param>
    /// <param name="asOf">The instant asked about, usually now.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A value per key the source knows, with the instant it is true for; keys it does not know are left out.</returns>
    ValueTask<IReadOnlyDictionary<string, MetricValue>> ReadAsync(TenantId tenant, IReadOnlyCollection<string> keys, Instant asOf, CancellationToken cancellationToken);
}
