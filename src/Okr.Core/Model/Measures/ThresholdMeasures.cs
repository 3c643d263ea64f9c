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
        CheckRange(violations, threshold, nameof(Threshold));
        violations.ThrowIfAny();
        Threshold = threshold;
    }

    /// <inheritdoc/>
    public override MeasureKind Kind => MeasureKind.StayAbove;

    /// <summary>The lowest acceptable value (inclusive).</summary>
    public decimal Threshold { get; }
}

/// <summary>Keep a value at or below <see cref="Threshold"/> (inclusive: a value equal to the threshold meets it).</summary>
public sealed record StayBelowMeasure : Measure
{
    /// <summary>Creates the measure.</summary>
    /// <param name="threshold">The highest acceptable value (inclusive).</param>
    /// <param name="unit">The unit of the values.</param>
    /// <exception cref="OkrValidationException">The threshold is out of range.</exception>
    public StayBelowMeasure(decimal threshold, MeasureUnit unit = default)
        : base(unit)
    {
        var violations = new ViolationList();
        CheckRange(violations, threshold, nameof(Threshold));
        violations.ThrowIfAny();
        Threshold = threshold;
    }

    /// <inheritdoc/>
    public override MeasureKind Kind => MeasureKind.StayBelow;

    /// <summary>The highest acceptable value (inclusive).</summary>
    public decimal Threshold { get; }
}

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
        CheckRange(violations, low, nameof(Low));
        CheckRange(violations, high, nameof(High));
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
