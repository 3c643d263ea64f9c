using NodaTime;

namespace Okr.Core.Service;

/// <summary>A figure an <see cref="IMetricSource"/> returns: its value and the instant it is true for.</summary>
/// <param name="value">The value.</param>
/// <param name="at">When it was true (the source's own timestamp, such as when the row was last updated).</param>
public readonly struct MetricValue(decimal value, Instant at)
{
    /// <summary>The value.</summary>
    public decimal Value { get; } = value;

    /// <summary>When it was true.</summary>
    public Instant At { get; } = at;
}
