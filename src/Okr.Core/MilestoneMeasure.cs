namespace Okr.Core;

/// <summary>Done or not done. A check-in value of 1 means done, 0 not done; no other value is accepted.</summary>
public sealed record MilestoneMeasure : Measure
{
    /// <summary>Creates the measure; its unit is always <see cref="MeasureUnit.Number"/>.</summary>
    public MilestoneMeasure()
        : base(MeasureUnit.Number)
    {
    }

    /// <inheritdoc/>
    public override MeasureKind Kind => MeasureKind.Milestone;

    /// <inheritdoc/>
    public override bool Accepts(decimal value) => value is 0m or 1m;
}
