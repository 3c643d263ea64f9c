namespace Okr.Core.Service;

/// <summary>How <see cref="OkrPeriods.CarryOverAsync"/> copies objectives into the next period.</summary>
public sealed class CarryOverOptions
{
    /// <summary>The defaults: drafts, baselines as they were, links re-pointed.</summary>
    public static CarryOverOptions Default { get; } = new();

    /// <summary>Whether the copies start active (checked by the activation rules, such as 3 to 5 key results) instead of as drafts; false by default.</summary>
    public bool Activate { get; init; }

    /// <summary>
    /// Whether each increase, decrease and staged key result starts from the value in force at the end of the source
    /// period (in the organisation's or tenant's time zone) instead of its old baseline; false by default. A key result
    /// without a value, or whose value already reached its target (or its commit level), keeps its baseline.
    /// </summary>
    public bool RebaseBaselines { get; init; }

    /// <summary>What happens to the alignment links; <see cref="CarriedAlignments.Repoint"/> by default.</summary>
    public CarriedAlignments Alignments { get; init; } = CarriedAlignments.Repoint;
}
