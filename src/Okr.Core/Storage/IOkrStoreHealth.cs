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

/// <summary>What <see cref="IOkrStoreHealth.CheckHealthAsync"/> found.</summary>
/// <param name="IsHealthy">Whether the store can be used.</param>
/// <param name="Description">What was checked, or what is wrong, in a sentence for an operator.</param>
/// <param name="SchemaVersion">The database's schema version, when it could be read (null for the in-memory store).</param>
/// <param name="ExpectedSchemaVersion">The version this library writes (null for the in-memory store).</param>
/// <param name="Exception">The failure, when one made the store unusable.</param>
public sealed record OkrStoreHealthReport(bool IsHealthy, string Description, int? SchemaVersion = null, int? ExpectedSchemaVersion = null, Exception? Exception = null);
