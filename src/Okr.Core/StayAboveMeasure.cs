namespace Okr.Core;

/// <summary>Keep a value at or above <see cref="Threshold"/> (inclusive: a value equal to the threshold meets it).</summary>
public sealed record StayAboveMeasure : Measure
{
    /// <summary>Creates the measure.</summary>
    /// <param name="threshold">The lowest acceptable value (inclusive).</param>
    /// <param name="unit">The unit of the values.</param>
    /// <exception cref="OkrValidationException">The threshold is out of range.</exception>
    public StayAboveMeasure(decimal threshold, MeasureUnit unit = default)
        : base(unit)
    {
        var violations = new ViolationList();
        CheckRange(ref violations, threshold, nameof(Threshold));
        violations.ThrowIfAny();
        Threshold = threshold;
    }

    /// <inheritdoc/>
    public override MeasureKind Kind => MeasureKind.StayAbove;

    /// <summary>The lowest acceptable value (inclusive).</summary>
    public decimal Threshold { get; }
}
