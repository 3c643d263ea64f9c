using NodaTime;

namespace Okr.Core.Events;

/// <summary>Why a delivery stopped, and when to try again.</summary>
/// <param name="RetryAt">When the stream is due again.</param>
/// <param name="Error">What went wrong (kept in <see cref="OkrEventStreamState.LastError"/>).</param>
public sealed record OkrEventFailure(Instant RetryAt, string Error);
