using NodaTime;

namespace Okr.Core.Service;

/// <summary>A figure an <see cref="IMetricSource"/> returns: its value and the instant it is true for.</summary>
/// <param name="Value">The value.</param>
/// <param name="At">When it was true (the source's own timestamp, such as when the row was last updated).</param>
public readonly record struct MetricValue(decimal Value, Instant At);
