using NodaTime;

namespace Okr.Core.Service;

/// <summary>
/// A figure a system of record reports for a key result (<see cref="OkrCheckIns.RecordFromSourceAsync"/>): its value,
/// the instant it is true for, and whether it sets the value or adds to it. The source, key and instant make its
/// check-in's id, so the same reading is recorded once however often it arrives.
/// </summary>
/// <param name="KeyResult">The key result.</param>
/// <param name="Source">The source's name (<see cref="IMetricSource.Name"/>).</param>
/// <param name="Key">The figure's key in the source.</param>
/// <param name="At">The instant the figure is true for: the check-in's effective instant.</param>
/// <param name="Value">The figure, or the amount to add.</param>
/// <param name="Mode">Set or add.</param>
public sealed record MetricReading(KeyResultId KeyResult, string Source, string Key, Instant At, decimal Value, MetricReadingMode Mode = MetricReadingMode.Set);
