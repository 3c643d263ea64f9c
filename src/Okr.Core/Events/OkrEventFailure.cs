using NodaTime;

namespace Okr.Core.Events;

/// <summary>Why a delivery stopped, and when to try again.</summary>
public sealed class OkrEventFailure
{
    /// <summary>Initializes a new instance of the <see cref="OkrEventFailure"/> class.</summary>
    /// <param name="retryAt">When the stream is due again.</param>
    /// <param name="error">What went wrong (kept in <see cref="OkrEventStreamState.LastError"/>).</param>
    public OkrEventFailure(Instant retryAt, string error)
    {
        RetryAt = retryAt;
        Error = error;
    }

    /// <summary>When the stream is due again.</summary>
    public Instant RetryAt { get; }

    /// <summary>What went wrong (kept in <see cref="OkrEventStreamState.LastError"/>).</summary>
    public string Error { get; }
}
