namespace Okr.Core.Scoring;

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
