using NodaTime;
using Okr.Core.Events;
using Okr.Core.Storage;

namespace Okr.Core.Service;

/// <summary>
/// The one entry point a host needs: periods, objectives, check-ins and progress, each a focused
/// part. It applies the rules before every write, takes every instant from the injected clock, uses
/// optimistic concurrency, and writes only through the store.
/// </summary>
/// <remarks>
/// A rejected call throws (<see cref="OkrValidationException"/>, <see cref="OkrNotFoundException"/>,
/// <see cref="OkrConcurrencyException"/>) and writes nothing. Thread-safe when the store is.
/// </remarks>
public sealed class OkrService
{
    /// <summary>Creates the service.</summary>
    /// <param name="store">Where data is kept.</param>
    /// <param name="clock">Where "now" comes from.</param>
    /// <param name="options">The policies; defaults when null.</param>
    public OkrService(IOkrStore store, IClock clock, OkrServiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        Store = store;
        Clock = clock;
        Options = options ?? new OkrServiceOptions();
        Periods = new OkrPeriods(this);
        Objectives = new OkrObjectives(this);
        CheckIns = new OkrCheckIns(this);
        Progress = new OkrProgress(this);
    }

    /// <summary>The store.</summary>
    public IOkrStore Store { get; }

    /// <summary>The clock.</summary>
    public IClock Clock { get; }

    /// <summary>The policies.</summary>
    public OkrServiceOptions Options { get; }

    /// <summary>Create, activate, close, reopen and archive periods.</summary>
    public OkrPeriods Periods { get; }

    /// <summary>Create, edit, activate, align and cancel objectives.</summary>
    public OkrObjectives Objectives { get; }

    /// <summary>Record and correct check-ins; read history.</summary>
    public OkrCheckIns CheckIns { get; }

    /// <summary>Progress, health, forecasts and period summaries.</summary>
    public OkrProgress Progress { get; }

    /// <summary>Delivers an event to every handler; a handler's failure is reported and never propagates.</summary>
    internal async ValueTask PublishAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
    {
        foreach (var handler in Options.EventSubscribers)
        {
            try
            {
                await handler.HandleAsync(okrEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                OkrTelemetry.Failures.Add(1);
                try
                {
                    Options.OnSubscriberFailure?.Invoke(okrEvent, ex);
                }
                catch (Exception reportFailure) when (reportFailure is not OutOfMemoryException)
                {
                    // The failure report itself failed: the write still stands, and nothing more can be done here.
                }
            }
        }
    }

    internal async ValueTask<OkrPeriod> RequirePeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken) =>
        await Store.GetPeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false)
        ?? throw new OkrNotFoundException($"Period {id} does not exist.");

    internal async ValueTask<Objective> RequireObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken) =>
        await Store.GetObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false)
        ?? throw new OkrNotFoundException($"Objective {id} does not exist.");
}
