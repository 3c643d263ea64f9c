using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime.Text;

namespace Okr.Core.Serialization;

/// <summary>Reads and writes an identifier as its 36-character text form.</summary>
internal sealed class IdentifierConverter<T> : JsonConverter<T>
    where T : struct, IOkrIdentifier<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            // The common case, an unescaped 36-byte GUID, parses straight from the UTF-8 bytes without a string.
            if (!reader.HasValueSequence && !reader.ValueIsEscaped && reader.ValueSpan.Length == 36
                && System.Buffers.Text.Utf8Parser.TryParse(reader.ValueSpan, out Guid guid, out var consumed, 'D') && consumed == 36 && guid != Guid.Empty
                && IsLowerCase(reader.ValueSpan))
            {
                return T.FromGuid(guid);
            }

            if (OkrIdentifier.TryParse<T>(reader.GetString(), out T id))
            {
                return id;
            }
        }

        throw new JsonException($"Expected a {typeof(T).Name}: a non-empty GUID string in the 36-character form.");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(OkrIdentifier.Format(value.Value));

    private static bool IsLowerCase(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is >= (byte)'A' and <= (byte)'F')
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Reads and writes a <see cref="MeasureUnit"/> as its text form.</summary>
internal sealed class MeasureUnitConverter : JsonConverter<MeasureUnit>
{
    public override MeasureUnit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && MeasureUnit.TryParse(reader.GetString(), out var unit)
            ? unit
            : throw new JsonException("Expected a unit: \"number\", \"percent\", \"currency:XXX\" or \"custom:label\".");

    public override void Write(Utf8JsonWriter writer, MeasureUnit value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

/// <summary>
/// Reads and writes a NodaTime value as a string in one ISO pattern (instants as <c>uuuu-MM-ddTHH:mm:ss.FFFFFFFFFZ</c>,
/// dates as <c>uuuu-MM-dd</c>). Written here rather than taken from NodaTime.Serialization.SystemTextJson, whose
/// converters look converters up by type at run time and so are not native-AOT safe.
/// </summary>
internal sealed class PatternConverter<T>(IPattern<T> pattern, string expected) : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected {expected} as a string.");
        }

        var result = pattern.Parse(reader.GetString()!);
        return result.Success ? result.Value : throw new JsonException($"Expected {expected}: {result.Exception.Message}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(pattern.Format(value));
}

/// <summary>
/// Reads an instant: the writer's own form (<c>uuuu-MM-ddTHH:mm:ss[.fffffffff]Z</c>) straight from the UTF-8 bytes,
/// anything else through NodaTime's extended ISO pattern (which names the problem). Writes the extended ISO form.
/// </summary>
internal sealed class InstantConverter : JsonConverter<NodaTime.Instant>
{
    private static readonly PatternConverter<NodaTime.Instant> General = new(InstantPattern.ExtendedIso, "an ISO-8601 instant in UTC such as 2026-01-05T09:00:00Z");

    public override NodaTime.Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ObjectiveBodyReader.TryInstant(ref reader, out var instant) ? instant!.Value : General.Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, NodaTime.Instant value, JsonSerializerOptions options) => General.Write(writer, value, options);
}

/// <summary>
/// Reads an enum from exactly one of its camelCase names: no numbers, no comma-joined flags ("active, closed"), no
/// padding (" active") and no other casing. Writes the camelCase name.
/// </summary>
internal sealed class StrictEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), v => v, StringComparer.Ordinal);
    private static readonly Dictionary<T, string> Names = ByName.ToDictionary(p => p.Value, p => p.Key);
    private static readonly string Expected = string.Join(", ", ByName.Keys.Select(k => $"\"{k}\""));

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text && ByName.TryGetValue(text, out var value))
        {
            return value;
        }

        var shown = reader.TokenType == JsonTokenType.String ? $"\"{Clip(reader.GetString()!)}\"" : $"a {reader.TokenType.ToString().ToLowerInvariant()}";
        throw new JsonException($"{shown} is not one of {Expected}.");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Names.TryGetValue(value, out var name) ? name : throw new JsonException($"{value} is not a defined value."));

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>
/// Reads a decimal only when the JSON number is exactly representable (at most 28–29 significant digits, scale at
/// most 28, within range): "1e-30" or 30 significant digits are refused rather than silently rounded. Writes the
/// value as held, scale included.
/// </summary>
internal sealed class ExactDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("Expected a number.");
        }

        ReadOnlySpan<byte> text = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
        if (!TryReadExact(text, out var value))
        {
            throw new JsonException($"The number {Clip(text)} cannot be held exactly as a decimal (at most 28 significant digits after removing trailing zeros, at most 28 decimal places, at most ±79228162514264337593543950335); it would be rounded.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

    /// <summary>Parses a JSON number into a decimal when the decimal equals it exactly.</summary>
    internal static bool TryReadExact(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0m;

        // A JSON number: -?digits(.digits)?([eE][+-]?digits)?; the reader has already checked the grammar.
        var i = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        var digits = new System.Text.StringBuilder();
        var fraction = 0;
        for (var seenPoint = false; i < text.Length && text[i] is not ((byte)'e' or (byte)'E'); i++)
        {
            if (text[i] == (byte)'.')
            {
                seenPoint = true;
                continue;
            }

            digits.Append((char)text[i]);
            fraction += seenPoint ? 1 : 0;
        }

        long exponent = 0;
        if (i < text.Length)
        {
            if (!long.TryParse(System.Text.Encoding.ASCII.GetString(text[(i + 1)..]), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 1000)
            {
                return false;
            }
        }

        // The number is digits × 10^(exponent − fraction). Leading zeros carry nothing; trailing zeros of the
        // integer part can be moved into the exponent.
        var significant = digits.ToString().TrimStart('0');
        var scale = fraction - exponent;
        if (significant.Length == 0)
        {
            // Zero: keep the written scale when a decimal can (0.00 stays 0.00).
            value = scale is >= 0 and <= 28 ? new decimal(0, 0, 0, negative, (byte)scale) : 0m;
            return true;
        }

        while (scale < 0)
        {
            significant += "0";
            scale++;
            if (significant.Length > 29)
            {
                return false;
            }
        }

        // Trailing zeros in the fraction are kept when they fit (scale is part of the value as written), dropped when not.
        while (scale > 28 && significant.EndsWith('0'))
        {
            significant = significant[..^1];
            scale--;
        }

        if (scale > 28 || significant.Length > 29)
        {
            return false;
        }

        if (!System.Numerics.BigInteger.TryParse(significant, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mantissa)
            || mantissa > new System.Numerics.BigInteger(decimal.MaxValue))
        {
            return false;
        }

        var bytes = mantissa.ToByteArray(isUnsigned: true, isBigEndian: false);
        Span<byte> padded = stackalloc byte[12];
        bytes.AsSpan().CopyTo(padded);
        value = new decimal(
            BitConverter.ToInt32(padded[..4]),
            BitConverter.ToInt32(padded[4..8]),
            BitConverter.ToInt32(padded[8..12]),
            negative,
            (byte)scale);
        return true;
    }

    private static string Clip(ReadOnlySpan<byte> text) => text.Length <= 40 ? System.Text.Encoding.ASCII.GetString(text) : System.Text.Encoding.ASCII.GetString(text[..40]) + "…";
}
