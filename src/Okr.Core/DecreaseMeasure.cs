namespace Okr.Core;

/// <summary>Move a value down: from <see cref="Baseline"/> to <see cref="Target"/>, optionally on to <see cref="Stretch"/>.</summary>
/// <remarks>Requires baseline &gt; target &gt; stretch. A target above the baseline is an <see cref="IncreaseMeasure"/>.</remarks>
public sealed record DecreaseMeasure : Measure
{
    /// <summary>Creates the measure.</summary>
    /// <param name="baseline">The value at the start.</param>
    /// <param name="target">The value that scores 1.0; strictly below the baseline.</param>
    /// <param name="stretch">An optional stretch level strictly below the target.</param>
    /// <param name="unit">The unit of the values.</param>
    /// <exception cref="OkrValidationException">The levels are equal, out of order or out of range.</exception>
    public DecreaseMeasure(decimal baseline, decimal target, decimal? stretch = null, MeasureUnit unit = default)
        : base(unit)
    {
        var violations = new ViolationList();
        DirectionalRules.Check(ref violations, baseline, target, stretch, up: false);
        violations.ThrowIfAny();
        Baseline = baseline;
        Target = target;
        Stretch = stretch;
    }

    /// <inheritdoc/>
    public override MeasureKind Kind => MeasureKind.Decrease;

    /// <summary>The value at the start.</summary>
    public decimal Baseline { get; }

    /// <summary>The value that scores 1.0.</summary>
    public decimal Target { get; }

    /// <summary>An optional level beyond the target.</summary>
    public decimal? Stretch { get; }
}
