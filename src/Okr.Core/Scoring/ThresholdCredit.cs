namespace Okr.Core.Scoring;

/// <summary>
/// How a value outside a StayAbove, StayBelow or WithinRange line scores. Inside the line the raw
/// ratio is always 1.
/// </summary>
public sealed record ThresholdCredit
{
    private ThresholdCredit(double? tolerance) => Tolerance = tolerance;

    /// <summary>Outside the line the raw ratio is 0 (the default).</summary>
    public static ThresholdCredit AllOrNothing { get; } = new((double?)null);

    /// <summary>
    /// The tolerance of partial credit, or null for all-or-nothing: the distance outside the line,
    /// as a share of the threshold's magnitude (StayAbove/StayBelow; of 1 when the threshold is 0)
    /// or of the band's width (WithinRange), at which the raw ratio reaches 0.
    /// </summary>
    public double? Tolerance { get; }

    /// <summary>
    /// Partial credit: the raw ratio falls linearly from 1 at the line to 0 at a distance of
    /// <paramref name="tolerance"/> (a share of the threshold's magnitude, or of the band's width)
    /// and below 0 beyond it.
    /// </summary>
    /// <param name="tolerance">Finite and &gt; 0; 0.1 means "no credit 10 % past the line".</param>
    /// <returns>The setting.</returns>
    /// <exception cref="OkrValidationException">The tolerance is not finite and positive.</exception>
    public static ThresholdCredit Partial(double tolerance)
    {
        var violations = new ViolationList();
        violations.Finite(tolerance, nameof(Tolerance), double.Epsilon, double.MaxValue);
        violations.ThrowIfAny();
        return new ThresholdCredit(tolerance);
    }
}
