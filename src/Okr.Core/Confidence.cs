using System.Globalization;

namespace Okr.Core;

/// <summary>
/// A person's forward-looking confidence that a key result will be met: 0 (no chance) to 1 (certain).
/// It is an opinion recorded with a check-in, kept apart from measured progress.
/// </summary>
public readonly record struct Confidence : IComparable<Confidence>
{
    /// <summary>Creates a confidence on the 0..1 scale.</summary>
    /// <param name="value">A finite number from 0 to 1 inclusive.</param>
    /// <exception cref="OkrValidationException">The value is NaN, infinite or outside 0..1.</exception>
    public Confidence(double value)
    {
        var violations = new ViolationList();
        violations.Finite(value, nameof(Confidence), 0, 1);
        violations.ThrowIfAny();
        Value = value;
    }

    /// <summary>The confidence from 0 to 1.</summary>
    public double Value { get; }

    /// <summary>Converts a rating on the 0–10 scale used by many OKR guides (10 = certain).</summary>
    /// <param name="rating">A finite number from 0 to 10 inclusive.</param>
    /// <returns>The confidence <c>rating / 10</c>.</returns>
    /// <exception cref="OkrValidationException">The rating is NaN, infinite or outside 0..10.</exception>
    public static Confidence FromTenPointScale(double rating)
    {
        var violations = new ViolationList();
        violations.Finite(rating, "Rating", 0, 10);
        violations.ThrowIfAny();
        return new Confidence(rating / 10);
    }

    /// <summary>Whether <paramref name="left"/> is lower than <paramref name="right"/>.</summary>
    /// <param name="left">The first confidence.</param>
    /// <param name="right">The second confidence.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <(Confidence left, Confidence right) => left.Value < right.Value;

    /// <summary>Whether <paramref name="left"/> is lower than or equal to <paramref name="right"/>.</summary>
    /// <param name="left">The first confidence.</param>
    /// <param name="right">The second confidence.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <=(Confidence left, Confidence right) => left.Value <= right.Value;

    /// <summary>Whether <paramref name="left"/> is higher than <paramref name="right"/>.</summary>
    /// <param name="left">The first confidence.</param>
    /// <param name="right">The second confidence.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >(Confidence left, Confidence right) => left.Value > right.Value;

    /// <summary>Whether <paramref name="left"/> is higher than or equal to <paramref name="right"/>.</summary>
    /// <param name="left">The first confidence.</param>
    /// <param name="right">The second confidence.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >=(Confidence left, Confidence right) => left.Value >= right.Value;

    /// <inheritdoc/>
    public int CompareTo(Confidence other) => Value.CompareTo(other.Value);

    /// <summary>Returns the value with invariant culture, for example <c>0.7</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
