namespace Okr.Core.Scoring;

/// <summary>What a roll-up does with an item that has no data yet (no check-in).</summary>
public enum NoDataRule
{
    /// <summary>Count it as progress 0 (the default): nobody gains by not checking in.</summary>
    CountAsZero = 0,

    /// <summary>Leave it out, as if it were not there; a roll-up of nothing but such items has no data.</summary>
    LeaveOut = 1,
}

/// <summary>One item of a roll-up: its progress (null when it has no data) and its weight.</summary>
/// <param name="Progress">The item's progress, or null for "no data yet".</param>
/// <param name="Weight">The item's weight, ≥ 0; items of weight 0 are tracked but never counted.</param>
public readonly record struct RollupItem(double? Progress, double Weight);

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

/// <summary>
/// The weighted mean Σ wᵢpᵢ / Σ wᵢ over the items that count (the default roll-up). Weights are
/// normalised first, so only their ratios matter.
/// </summary>
/// <param name="noData">What items without data count as; <see cref="NoDataRule.CountAsZero"/> by default.</param>
public sealed class WeightedMeanRollup(NoDataRule noData = NoDataRule.CountAsZero) : IRollupPolicy
{
    /// <summary>The default: weighted mean, no data counted as zero.</summary>
    public static WeightedMeanRollup Default { get; } = new();

    /// <summary>What items without data count as.</summary>
    public NoDataRule NoData { get; } = noData;

    /// <inheritdoc/>
    public double? Combine(IReadOnlyList<RollupItem> items) => Combine(RollupSpan.Of(items));

    /// <summary>The same roll-up over a span, without allocation (the alignment graph's hot path).</summary>
    /// <param name="items">The items.</param>
    /// <returns>The combined progress, or null when no item counts.</returns>
    public double? Combine(ReadOnlySpan<RollupItem> items)
    {
        var maxWeight = 0.0;
        foreach (var item in items)
        {
            if (Counts(item, NoData))
            {
                maxWeight = Math.Max(maxWeight, item.Weight);
            }
        }

        if (maxWeight == 0)
        {
            return null;
        }

        double sum = 0, weights = 0, min = double.MaxValue, max = double.MinValue;
        foreach (var item in items)
        {
            if (Counts(item, NoData))
            {
                var p = item.Progress ?? 0;
                var w = item.Weight / maxWeight;
                sum += w * p;
                weights += w;
                min = Math.Min(min, p);
                max = Math.Max(max, p);
            }
        }

        // A mean never leaves [min, max]; clamping removes rounding drift, so equal inputs give exactly that value.
        return Math.Clamp(sum / weights, min, max);
    }

    internal static bool Counts(RollupItem item, NoDataRule noData) =>
        item.Weight > 0 && double.IsFinite(item.Weight) && (item.Progress is not null || noData == NoDataRule.CountAsZero);
}

/// <summary>The progress of the weakest item that counts: an objective is only as done as its least-done key result.</summary>
/// <param name="noData">What items without data count as; <see cref="NoDataRule.CountAsZero"/> by default.</param>
public sealed class WeakestRollup(NoDataRule noData = NoDataRule.CountAsZero) : IRollupPolicy
{
    /// <summary>What items without data count as.</summary>
    public NoDataRule NoData { get; } = noData;

    /// <inheritdoc/>
    public double? Combine(IReadOnlyList<RollupItem> items) => Combine(RollupSpan.Of(items));

    /// <summary>The same roll-up over a span, without allocation.</summary>
    /// <param name="items">The items.</param>
    /// <returns>The lowest progress that counts, or null when none counts.</returns>
    public double? Combine(ReadOnlySpan<RollupItem> items)
    {
        double? min = null;
        foreach (var item in items)
        {
            if (WeightedMeanRollup.Counts(item, NoData))
            {
                var p = item.Progress ?? 0;
                min = min is { } m ? Math.Min(m, p) : p;
            }
        }

        return min;
    }
}

/// <summary>Views a list of items as a span without copying when it is an array or a <see cref="List{T}"/>.</summary>
internal static class RollupSpan
{
    public static ReadOnlySpan<RollupItem> Of(IReadOnlyList<RollupItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items switch
        {
            RollupItem[] array => array,
            List<RollupItem> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
            _ => items.ToArray(),
        };
    }
}

/// <summary>Where an objective's progress comes from.</summary>
public sealed record RollupSource
{
    private RollupSource(double keyResultShare) => KeyResultShare = keyResultShare;

    /// <summary>
    /// From its own key results only (the default). Like every source, when one side has nothing on it
    /// at all (an objective with no key results), the other side (its aligned objectives) stands alone.
    /// </summary>
    public static RollupSource KeyResults { get; } = new(1.0);

    /// <summary>
    /// From the objectives aligned to it (contributing links only); an objective nobody aligned to
    /// (a leaf of the tree) takes its progress from its own key results.
    /// </summary>
    public static RollupSource AlignedObjectives { get; } = new(0.0);

    /// <summary>The share of the key results in a blend; 1 for key results only, 0 for aligned objectives only.</summary>
    public double KeyResultShare { get; }

    /// <summary>
    /// A blend: <paramref name="keyResultShare"/> of the key results' roll-up and the rest from the
    /// aligned objectives' roll-up. When one side has items but no data, the roll-up policy's no-data
    /// rule decides; when one side has no items at all (an objective nobody aligned to), the other side stands alone.
    /// </summary>
    /// <param name="keyResultShare">Between 0 and 1.</param>
    /// <returns>The source.</returns>
    /// <exception cref="OkrValidationException">The share is outside 0..1.</exception>
    public static RollupSource Blend(double keyResultShare)
    {
        var violations = new ViolationList();
        violations.Finite(keyResultShare, nameof(KeyResultShare), 0, 1);
        violations.ThrowIfAny();
        return new RollupSource(keyResultShare);
    }
}
