namespace Okr.Core.Storage;

/// <summary>What <see cref="IOkrStoreHealth.CheckHealthAsync"/> found.</summary>
/// <param name="IsHealthy">Whether the store can be used.</param>
/// <param name="Description">What was checked, or what is wrong, in a sentence for an operator.</param>
/// <param name="SchemaVersion">The database's schema version, when it could be read (null for the in-memory store).</param>
/// <param name="ExpectedSchemaVersion">The version this library writes (null for the in-memory store).</param>
/// <param name="Exception">The failure, when one made the store unusable.</param>
public sealed record OkrStoreHealthReport(bool IsHealthy, string Description, int? SchemaVersion = null, int? ExpectedSchemaVersion = null, Exception? Exception = null);
