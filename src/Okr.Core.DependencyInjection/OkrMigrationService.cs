using Microsoft.Extensions.Hosting;
using Okr.Core.Storage;

namespace Okr.Core.DependencyInjection;

/// <summary>Migrates the store's schema in the host's starting phase (registered by <see cref="OkrBuilder.MigrateOnStartup"/>).</summary>
internal sealed class OkrMigrationService(IOkrStore store) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) =>
        store is IOkrStoreMigration migration ? migration.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
