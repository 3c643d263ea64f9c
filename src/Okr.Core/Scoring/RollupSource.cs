namespace Okr.Core.Scoring;

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
