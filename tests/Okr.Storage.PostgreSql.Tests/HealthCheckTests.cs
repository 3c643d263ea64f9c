using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Okr.Core;
using Okr.Core.Service;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>The store's health check against a real server that is stopped and started again under a running application.</summary>
public class HealthCheckTests
{
    [PostgresFact]
    public async Task Healthy_then_unhealthy_while_the_server_is_stopped_then_healthy_again_without_restarting_the_store()
    {
        await using var cluster = await ThrowawayCluster.StartAsync();
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddOkr(okr => okr.UsePostgreSql(cluster.ConnectionString))
            .AddHealthChecks().AddOkrStore(tags: ["ready"]).Services
            .BuildServiceProvider();
        var checks = provider.GetRequiredService<HealthCheckService>();
        var okr = provider.GetRequiredService<OkrService>();
        var tenant = new TenantId(Guid.NewGuid());
        var period = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));

        var up = (await checks.CheckHealthAsync()).Entries["okr-store"];
        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(up.Data["expected_schema_version"], up.Data["schema_version"]);
        Assert.Contains($"127.0.0.1:{cluster.Port}/postgres at schema version", up.Description, StringComparison.Ordinal);

        await cluster.StopAsync();
        var down = (await checks.CheckHealthAsync()).Entries["okr-store"];
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Contains("cannot be used", down.Description, StringComparison.Ordinal);
        Assert.NotNull(down.Exception);

        // Back: the same store instance (its pool held connections the restart broke) is healthy and works.
        await cluster.StartAgainAsync();
        var again = (await checks.CheckHealthAsync()).Entries["okr-store"];
        Assert.Equal(HealthStatus.Healthy, again.Status);
        Assert.Equal(period, await okr.Periods.GetAsync(tenant, period.Id));

        // Restarted between two checks: the pool's idle connections are dead, and the check does not take them for the server.
        await cluster.StopAsync();
        await cluster.StartAgainAsync();
        var restarted = (await checks.CheckHealthAsync()).Entries["okr-store"];
        Assert.True(restarted.Status == HealthStatus.Healthy, restarted.Description);
    }
}
