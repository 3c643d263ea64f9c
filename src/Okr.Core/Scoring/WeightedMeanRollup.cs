namespace Okr.Core.Scoring;

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
