using Microsoft.Extensions.Hosting;
using Okr.Core.Events;

namespace Okr.Core.DependencyInjection;

/// <summary>Runs <see cref="OkrEventDispatcher.RunAsync"/> for the host's lifetime (registered by <see cref="OkrBuilder.AddEventDispatcher"/>).</summary>
internal sealed class OkrEventDispatcherService(OkrEventDispatcher dispatcher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => dispatcher.RunAsync(stoppingToken);
}
