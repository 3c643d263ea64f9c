namespace Okr.Core;

/// <summary>
/// Thrown when a write expected a version that is no longer the stored one: someone else changed
/// the item first. Nothing was written; read the item again, re-apply the change and retry.
/// </summary>
public sealed class OkrConcurrencyException : OkrException
{
    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What conflicted.</param>
    /// <param name="expectedVersion">The version the caller expected.</param>
    /// <param name="actualVersion">The stored version, or null when the item does not exist.</param>
    public OkrConcurrencyException(string message, long expectedVersion, long? actualVersion)
        : base(message)
    {
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The version the caller expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The stored version, or null when the item does not exist (any more).</summary>
    public long? ActualVersion { get; }
}
