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
