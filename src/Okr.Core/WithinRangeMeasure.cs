namespace Okr.Core;

/// <summary>Keep a value inside the band <see cref="Low"/>..<see cref="High"/> (both ends inclusive).</summary>
public sealed record WithinRangeMeasure : Measure
{
    /// <summary>Creates the measure.</summary>
    /// <param name="low">The lowest acceptable value (inclusive).</param>
    /// <param name="high">The highest acceptable value (inclusive); strictly above <paramref name="low"/>.</param>
    /// <param name="unit">The unit of the values.</param>
    /// <exception cref="OkrValidationException">Low is not below high, or a value is out of range.</exception>
    public WithinRangeMeasure(decimal low, decimal high, MeasureUnit unit = default)
        : base(unit)
    {
        var violations = new ViolationList();
        CheckRange(ref violations, low, nameof(Low));
        CheckRange(ref violations, high, nameof(High));
        if (low >= high)
        {
            violations.Add(OkrErrorCodes.LevelsOutOfOrder, nameof(High), $"High ({high}) must lie strictly above Low ({low}).");
        }

        violations.ThrowIfAny();
        Low = low;
        High = high;
    }

    /// <inheritdoc/>
    public override MeasureKind Kind => MeasureKind.WithinRange;

    /// <summary>The lowest acceptable value (inclusive).</summary>
    public decimal Low { get; }

    /// <summary>The highest acceptable value (inclusive).</summary>
    public decimal High { get; }
}
