namespace Okr.Core;

/// <summary>The eight measure types a key result can have.</summary>
public enum MeasureKind
{
    /// <summary>Move a value up from a baseline to a target: <see cref="IncreaseMeasure"/>.</summary>
    Increase = 1,

    /// <summary>Move a value down from a baseline to a target: <see cref="DecreaseMeasure"/>.</summary>
    Decrease = 2,

    /// <summary>Keep a value at or above a threshold: <see cref="StayAboveMeasure"/>.</summary>
    StayAbove = 3,

    /// <summary>Keep a value at or below a threshold: <see cref="StayBelowMeasure"/>.</summary>
    StayBelow = 4,

    /// <summary>Keep a value inside a band: <see cref="WithinRangeMeasure"/>.</summary>
    WithinRange = 5,

    /// <summary>Done or not done: <see cref="MilestoneMeasure"/>.</summary>
    Milestone = 6,

    /// <summary>Commit, target and stretch levels: <see cref="StagedMeasure"/>.</summary>
    Staged = 7,

    /// <summary>Named levels a person chooses from, each with its score: <see cref="OrdinalMeasure"/>.</summary>
    Ordinal = 8,
}
