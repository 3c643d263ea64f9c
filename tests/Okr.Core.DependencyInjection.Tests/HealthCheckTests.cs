using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Okr.Core.Storage;

namespace Okr.Core.DependencyInjection.Tests;

/// <summary><c>AddHealthChecks().AddOkrStore()</c> on the in-memory store and a real SQLite file (PostgreSQL: its own test project).</summary>
public class HealthCheckTests
{
    [Fact]
    public async Task The_in_memory_store_is_healthy_and_a_custom_store_without_a_report_is_said_to_be_assumed_usable()
    {
        await using var provider = new ServiceCollection().AddLogging().AddOkr().AddHealthChecks().AddOkrStore(tags: ["ready"]).Services.BuildServiceProvider();
        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["okr-store"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("InMemoryOkrStore", entry.Data["store"]);
        Assert.Equal(["ready"], entry.Tags);

        await using var custom = new ServiceCollection().AddLogging().AddOkr(o => o.UseStore(_ => new Wrapped(new InMemoryOkrStore()))).AddHealthChecks().AddOkrStore().Services.BuildServiceProvider();
        var assumed = (await custom.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["okr-store"];
        Assert.Equal(HealthStatus.Healthy, assumed.Status);
        Assert.Contains("does not report its health", assumed.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SQLite_store_is_healthy_at_the_current_schema_and_unhealthy_with_a_database_it_cannot_use()
    {
        var file = Path.Combine(Path.GetTempPath(), $"okr-health-{Guid.NewGuid():N}.db");
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddOkr(okr => okr.UseSqlite($"Data Source={file}"))
            .AddHealthChecks().AddOkrStore("okr", HealthStatus.Degraded).Services
            .BuildServiceProvider();
        var checks = provider.GetRequiredService<HealthCheckService>();

        // A new file: the check migrates it as a first call would, then reads the version.
        var healthy = (await checks.CheckHealthAsync()).Entries["okr"];
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(healthy.Data["expected_schema_version"], healthy.Data["schema_version"]);
        Assert.Contains("at schema version", healthy.Description, StringComparison.Ordinal);

        // Another application wrote a newer schema: the store cannot use it, and says why, with the registered failure status.
        var expected = (int)healthy.Data["expected_schema_version"];
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            connection.Open();
            using var newer = connection.CreateCommand();
            newer.CommandText = $"UPDATE okr_schema SET version = {expected + 1}";
            newer.ExecuteNonQuery();
        }

        var unusable = (await checks.CheckHealthAsync()).Entries["okr"];
        Assert.Equal(HealthStatus.Degraded, unusable.Status);
        Assert.Equal(expected + 1, unusable.Data["schema_version"]);
        Assert.Contains($"is at schema version {expected + 1}; this library writes {expected}", unusable.Description, StringComparison.Ordinal);

        // A file that is not a database: unusable, with the failure.
        var garbage = Path.Combine(Path.GetTempPath(), $"okr-health-{Guid.NewGuid():N}.db");
        await File.WriteAllTextAsync(garbage, new string('x', 4096));
        using var broken = new Okr.Storage.Sqlite.SqliteOkrStore($"Data Source={garbage}");
        var report = await broken.CheckHealthAsync();
        Assert.False(report.IsHealthy);
        Assert.NotNull(report.Exception);
        Assert.Contains("cannot be used", report.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateOnStartup_migrates_before_the_host_serves_when_the_store_never_migrates_on_its_own()
    {
        async Task<IHost> StartAsync(string file, bool migrateOnStartup)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Okr:Store:ConnectionString"] = $"Data Source={file}", ["Okr:Store:AutoMigrate"] = "false" });
            builder.Services.AddOkr(builder.Configuration.GetSection("Okr"), okr =>
            {
                okr.UseSqlite();
                if (migrateOnStartup)
                {
                    okr.MigrateOnStartup();
                }
            });
            var host = builder.Build();
            await host.StartAsync();
            return host;
        }

        var tenant = new TenantId(Guid.NewGuid());
        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);

        // Without it, the first call fails fast: the store only checks the version.
        using (var unmigrated = await StartAsync(Path.Combine(Path.GetTempPath(), $"okr-start-{Guid.NewGuid():N}.db"), migrateOnStartup: false))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => unmigrated.Services.GetRequiredService<Okr.Core.Service.OkrService>().Periods.CreateAsync(tenant, period).AsTask());
            Assert.Contains("schema version 0;", error.Message, StringComparison.Ordinal);
            await unmigrated.StopAsync();
        }

        // With it, the schema is current when the host has started.
        using var migrated = await StartAsync(Path.Combine(Path.GetTempPath(), $"okr-start-{Guid.NewGuid():N}.db"), migrateOnStartup: true);
        Assert.Equal(period.Id, (await migrated.Services.GetRequiredService<Okr.Core.Service.OkrService>().Periods.CreateAsync(tenant, period)).Id);
        Assert.True((await ((IOkrStoreHealth)migrated.Services.GetRequiredService<IOkrStore>()).CheckHealthAsync()).IsHealthy);
        await migrated.StopAsync();
    }

    /// <summary>A host's own store (here a decorator) that does not implement <see cref="IOkrStoreHealth"/>.</summary>
    private sealed class Wrapped(IOkrStore inner) : Okr.Storage.Specification.DelegatingOkrStore(inner);
}
