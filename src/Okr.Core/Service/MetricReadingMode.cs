namespace Okr.Core.Service;

/// <summary>What a <see cref="MetricReading"/>'s value means.</summary>
public enum MetricReadingMode
{
    /// <summary>The figure itself: recorded as the value.</summary>
    Set = 0,

    /// <summary>An amount to add to the value in force at the reading's instant (or to the measure's baseline when there is none).</summary>
    Add = 1,
}
