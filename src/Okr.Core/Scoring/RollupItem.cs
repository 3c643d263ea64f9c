namespace Okr.Core.Scoring;

/// <summary>One item of a roll-up: its progress (null when it has no data) and its weight.</summary>
/// <param name="Progress">The item's progress, or null for "no data yet".</param>
/// <param name="Weight">The item's weight, ≥ 0; items of weight 0 are tracked but never counted.</param>
public readonly record struct RollupItem(double? Progress, double Weight);
