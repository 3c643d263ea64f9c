namespace Okr.Core.Storage;

/// <summary>What <see cref="IOkrStoreHealth.CheckHealthAsync"/> found.</summary>
public sealed class OkrStoreHealthReport
{
    /// <summary>Initializes a new instance of the <see cref="OkrStoreHealthReport"/> class.</summary>
    /// <param name="isHealthy">Whether the store can be used.</param>
    /// <param name="description">What was checked, or what is wrong, in a sentence for an operator.</param>
    /// <param name="schemaVersion">The database's schema version, when it could be read (null for the in-memory store).</param>
    /// <param name="expectedSchemaVersion">The version this library writes (null for the in-memory store).</param>
    /// <param name="exception">The failure, when one made the store unusable.</param>
    public OkrStoreHealthReport(bool isHealthy, string description, int? schemaVersion = null, int? expectedSchemaVersion = null, Exception? exception = null)
    {
        IsHealthy = isHealthy;
        Description = description;
        SchemaVersion = schemaVersion;
        ExpectedSchemaVersion = expectedSchemaVersion;
        Exception = exception;
    }

    /// <summary>Whether the store can be used.</summary>
    public bool IsHealthy { get; }

    /// <summary>What was checked, or what is wrong, in a sentence for an operator.</summary>
    public string Description { get; }

    /// <summary>The database's schema version, when it could be read (null for the in-memory store).</summary>
    public int? SchemaVersion { get; }

    /// <summary>The version this library writes (null for the in-memory store).</summary>
    public int? ExpectedSchemaVersion { get; }

    /// <summary>The failure, when one made the store unusable.</summary>
    public Exception? Exception { get; }
}
