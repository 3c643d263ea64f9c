namespace Okr.Core.Scoring;

/// <summary>
/// Combines the progress of several items (key results, or aligned child objectives) into one.
/// Callers have already left out cancelled items; implementations must leave out items of weight 0
/// and apply their <see cref="NoDataRule"/>. Must be pure.
/// </summary>
public interface IRollupPolicy
{
    /// <summary>Combines the items.</summary>
    /// <param name="items">The items, in any order.</param>
    /// <returns>The combined progress, or null when no item counts ("no data").</returns>
    double? Combine(IReadOnlyList<RollupItem> items);
}
