namespace Okr.Core;

/// <summary>
/// How a key result is measured: one of a closed set of sealed types, each validated when it is
/// constructed. Values are <see cref="decimal"/> so money and fractional percentages stay exact.
/// </summary>
/// <remarks>
/// Every value a measure holds, and every check-in value, lies within ±<see cref="MaxMagnitude"/>,
/// so differences between values never overflow. Negative values are legal (for example a net
/// promoter score moving from −20 to +10).
/// </remarks>
public abstract record Measure
{
    /// <summary>The largest magnitude accepted for any value (10^18).</summary>
    public const decimal MaxMagnitude = 1_000_000_000_000_000_000m;

    private protected Measure(MeasureUnit unit) => Unit = unit;

    /// <summary>Which of the eight measure types this is.</summary>
    public abstract MeasureKind Kind { get; }

    /// <summary>The unit the values are in.</summary>
    public MeasureUnit Unit { get; }

    /// <summary>Whether a check-in value is one this measure can take.</summary>
    /// <param name="value">The value to check.</param>
    /// <returns>True when the value is within ±<see cref="MaxMagnitude"/> (and, for a milestone, is 0 or 1).</returns>
    public virtual bool Accepts(decimal value) => InRange(value);

    internal static bool InRange(decimal value) => value >= -MaxMagnitude && value <= MaxMagnitude;

    internal static void CheckRange(ref ViolationList violations, decimal value, string member)
    {
        if (!InRange(value))
        {
            violations.Add(OkrErrorCodes.OutOfRange, member, $"{member} must lie within ±10^18; it is {value}.");
        }
    }
}
