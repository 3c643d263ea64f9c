using System.Globalization;
using NodaTime;

namespace Okr.Core.Storage;

/// <summary>
/// The column encodings the SQL providers share, for authors of other stores: instants as signed
/// 64-bit nanoseconds since the Unix epoch (exact, sortable), decimals as invariant text (exact value
/// and scale), identifiers as their 36-character text form (whose ordinal order is their order).
/// </summary>
static partial class OkrStoreFormat
{
    /// <summary>The earliest instant a SQL store keeps: about 1677-09-21.</summary>
    public static Instant MinInstant { get; } = Instant.FromUnixTimeTicks(long.MinValue / 100);

    /// <summary>The latest instant a SQL store keeps: about 2262-04-11.</summary>
    public static Instant MaxInstant { get; } = Instant.FromUnixTimeTicks(long.MaxValue / 100);

    /// <summary>Nanoseconds since 1970-01-01T00:00Z.</summary>
    /// <param name="instant">An instant between <see cref="MinInstant"/> and <see cref="MaxInstant"/>.</param>
    /// <returns>The nanoseconds.</returns>
    /// <exception cref="OkrValidationException">The instant is outside the range.</exception>
    public static long ToUnixNanoseconds(Instant instant)
    {
        if (instant < MinInstant || instant > MaxInstant)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.OutOfRange, "Instant", $"Instant {instant} lies outside what the store keeps ({MinInstant} to {MaxInstant}).")]);
        }

        return (instant - Instant.FromUnixTimeTicks(0)).ToInt64Nanoseconds();
    }

    /// <summary>The instant of a number of nanoseconds since 1970-01-01T00:00Z.</summary>
    /// <param name="nanoseconds">The nanoseconds.</param>
    /// <returns>The instant.</returns>
    public static Instant FromUnixNanoseconds(long nanoseconds) => Instant.FromUnixTimeTicks(0).PlusNanoseconds(nanoseconds);

    /// <summary>A decimal as invariant text, scale kept (1.50 stays "1.50").</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a decimal written by <see cref="FormatDecimal"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    public static decimal ParseDecimal(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
