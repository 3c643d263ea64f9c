namespace Okr.Core.Storage;

/// <summary>
/// A store that reports whether it can be used now: reachable, and its database at the schema version this library
/// writes. Every store of this library implements it; the DI package's health check (<c>AddOkrStore</c>) asks it.
/// </summary>
public interface IOkrStoreHealth
{
    /// <summary>
    /// Checks the store. A SQL store first completes its start as any first call would (the schema migration, which
    /// is retried after a failure), then reads the schema version on a connection of its own. Never throws for an
    /// unusable store: the report says what is wrong.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The report.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask<OkrStoreHealthReport> CheckHealthAsync(CancellationToken cancellationToken = default);
}
