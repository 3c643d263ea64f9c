using Microsoft.Extensions.Diagnostics.HealthChecks;
using Okr.Core.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a health check of the registered Okr.Core store to <c>services.AddHealthChecks()</c>.</summary>
public static class OkrHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks the registered <see cref="IOkrStore"/>: reachable, and its database at the schema version this library
    /// writes (<see cref="IOkrStoreHealth"/>). A SQL store completes its start first, as its first call would, so a
    /// database that was down at start-up is reported healthy once it is back, with no restart of the application.
    /// A store that does not implement <see cref="IOkrStoreHealth"/> is reported healthy, with a description saying so.
    /// The result's data holds <c>store</c> and, for SQL stores, <c>schema_version</c> and <c>expected_schema_version</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; <c>okr-store</c> by default.</param>
    /// <param name="failureStatus">The status reported when the store is unusable; <see cref="HealthStatus.Unhealthy"/> when null.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    /// <param name="timeout">How long the check may take before it is reported as failed; no limit when null.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddOkrStore(this IHealthChecksBuilder builder, string name = "okr-store", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(name, static sp => new OkrStoreHealthCheck(sp.GetRequiredService<IOkrStore>()), failureStatus, tags, timeout));
    }

    private sealed class OkrStoreHealthCheck(IOkrStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var data = new Dictionary<string, object> { ["store"] = store.GetType().Name };
            if (store is not IOkrStoreHealth health)
            {
                return HealthCheckResult.Healthy($"{store.GetType().Name} does not report its health (IOkrStoreHealth); it is assumed usable.", data);
            }

            var report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            if (report.SchemaVersion is { } version)
            {
                data["schema_version"] = version;
            }

            if (report.ExpectedSchemaVersion is { } expected)
            {
                data["expected_schema_version"] = expected;
            }

            return report.IsHealthy
                ? HealthCheckResult.Healthy(report.Description, data)
                : new HealthCheckResult(context.Registration.FailureStatus, report.Description, report.Exception, data);
        }
    }
}
