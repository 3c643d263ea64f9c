using NodaTime;

namespace Okr.Core.Service;

/// <summary>
/// A figure a system of record reports for a key result (<see cref="OkrCheckIns.RecordFromSourceAsync"/>): its value,
/// the instant it is true for, and whether it sets the value or adds to it. The source, key and instant make its
/// check-in's id, so the same reading is recorded once however often it arrives.
/// </summary>
/// <param name="keyResult">The key result.</param>
/// <param name="source">The source's name (<see cref="IMetricSource.Name"/>).</param>
/// <param name="key">The figure's key in the source.</param>
/// <param name="at">The instant the figure is true for: the check-in's effective instant.</param>
/// <param name="value">The figure, or the amount to add.</param>
/// <param name="mode">Set or add.</param>
public sealed class MetricReading(KeyResultId keyResult, string source, string key, Instant at, decimal value, MetricReadingMode mode = MetricReadingMode.Set)
{
    /// <summary>The key result.</summary>
    public KeyResultId KeyResult { get; } = keyResult;

    /// <summary>The source's name.</summary>
    public string Source { get; } = source;

    /// <summary>The figure's key in the source.</summary>
    public string Key { get; } = key;

    /// <summary>The instant the figure is true for.</summary>
    public Instant At { get; } = at;

    /// <summary>The figure, or the amount to add.</summary>
    public decimal Value { get; } = value;

    /// <summary>Set or add.</summary>
    public MetricReadingMode Mode { get; } = mode;
}
