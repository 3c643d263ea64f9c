using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace Okr.Core.Serialization;

/// <summary>
/// Reads and writes <see cref="OkrDocument"/>s in the versioned <c>okr/1</c> JSON format:
/// camelCase members, identifiers as GUID strings, instants and dates in ISO-8601, decimals
/// exactly as written, enums by name. Reading is strict: unknown members, unknown enum names,
/// missing required members and values that break the model's rules all fail with an
/// <see cref="OkrFormatException"/> that names the JSON path.
/// </summary>
/// <remarks>Uses System.Text.Json source generation only, so it is trim- and AOT-safe.</remarks>
public static partial class OkrJson
{
    private static readonly ConcurrentDictionary<(bool Indented, int MaxDepth), OkrJsonContext> Contexts = new();

    /// <summary>Writes a document as a JSON string.</summary>
    /// <param name="document">The document.</param>
    /// <param name="options">Layout; <see cref="OkrJsonOptions.Default"/> when null.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(OkrDocument document, OkrJsonOptions? options = null) =>
        Encoding.UTF8.GetString(SerializeToUtf8Bytes(document, options));

    /// <summary>Writes a document as UTF-8 JSON bytes.</summary>
    /// <param name="document">The document.</param>
    /// <param name="options">Layout; <see cref="OkrJsonOptions.Default"/> when null.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] SerializeToUtf8Bytes(OkrDocument document, OkrJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.SerializeToUtf8Bytes(OkrJsonMapper.ToDto(document), Context(options).DocumentDto);
    }

    /// <summary>Writes a document as UTF-8 JSON to a stream.</summary>
    /// <param name="document">The document.</param>
    /// <param name="utf8Json">The stream to write to; left open.</param>
    /// <param name="options">Layout; <see cref="OkrJsonOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the document is written.</returns>
    public static Task SerializeAsync(OkrDocument document, Stream utf8Json, OkrJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(utf8Json);
        return JsonSerializer.SerializeAsync(utf8Json, OkrJsonMapper.ToDto(document), Context(options).DocumentDto, cancellationToken);
    }

    /// <summary>Reads a document from a JSON string with the default limits.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The document, every part validated.</returns>
    /// <exception cref="OkrFormatException">The input is malformed, of an unknown version, over the limits, or breaks the model's rules.</exception>
    public static OkrDocument Deserialize(string json) => Deserialize(json, null);

    /// <summary>Reads a document from UTF-8 JSON bytes with the default limits.</summary>
    /// <param name="utf8Json">The UTF-8 bytes.</param>
    /// <returns>The document, every part validated.</returns>
    /// <exception cref="OkrFormatException">The input is malformed, of an unknown version, over the limits, or breaks the model's rules.</exception>
    public static OkrDocument Deserialize(ReadOnlySpan<byte> utf8Json) => Deserialize(utf8Json, null);

    /// <summary>Reads a document from a JSON string.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="options">Limits; <see cref="OkrJsonOptions.Default"/> when null.</param>
    /// <returns>The document, every part validated.</returns>
    /// <exception cref="OkrFormatException">The input is malformed, of an unknown version, over the limits, or breaks the model's rules.</exception>
    public static OkrDocument Deserialize(string json, OkrJsonOptions? options)
    {
        ArgumentNullException.ThrowIfNull(json);
        (options ?? OkrJsonOptions.Default).Validate();
        var limit = (options ?? OkrJsonOptions.Default).MaxDocumentBytes;
        if (json.Length > limit || Encoding.UTF8.GetByteCount(json) > limit)
        {
            throw TooLarge(limit);
        }

        return Deserialize(Encoding.UTF8.GetBytes(json.StartsWith('\uFEFF') ? json[1..] : json), options);
    }

    /// <summary>Reads a document from a stream of UTF-8 JSON, reading at most the configured number of bytes.</summary>
    /// <param name="utf8Json">The stream; left open.</param>
    /// <param name="options">Limits; <see cref="OkrJsonOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document, every part validated.</returns>
    /// <exception cref="OkrFormatException">The input is malformed, of an unknown version, over the limits, or breaks the model's rules.</exception>
    public static async Task<OkrDocument> DeserializeAsync(Stream utf8Json, OkrJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        options ??= OkrJsonOptions.Default;
        options.Validate();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await utf8Json.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > options.MaxDocumentBytes)
            {
                throw TooLarge(options.MaxDocumentBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return Deserialize(new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length), options);
    }

    /// <summary>Reads a document from UTF-8 JSON bytes.</summary>
    /// <param name="utf8Json">The UTF-8 bytes.</param>
    /// <param name="options">Limits; <see cref="OkrJsonOptions.Default"/> when null.</param>
    /// <returns>The document, every part validated.</returns>
    /// <exception cref="OkrFormatException">The input is malformed, of an unknown version, over the limits, or breaks the model's rules.</exception>
    public static OkrDocument Deserialize(ReadOnlySpan<byte> utf8Json, OkrJsonOptions? options)
    {
        options ??= OkrJsonOptions.Default;
        options.Validate();
        if (utf8Json.Length > options.MaxDocumentBytes)
        {
            throw TooLarge(options.MaxDocumentBytes);
        }

        // A UTF-8 byte-order mark (as some editors and tools write) is not part of the JSON.
        if (utf8Json.StartsWith(Utf8Bom))
        {
            utf8Json = utf8Json[Utf8Bom.Length..];
        }

        CheckFormat(utf8Json, options.MaxDepth);
        DocumentDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(utf8Json, Context(options).DocumentDto);
        }
        catch (JsonException ex)
        {
            throw new OkrFormatException(FirstSentence(ex.Message), ex.Path ?? "$", ex);
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json reports a string with a broken escaped surrogate pair this way.
            throw BadText(ex);
        }

        return OkrJsonMapper.FromDto(dto ?? throw new OkrFormatException("The document is null.", "$"));
    }

    /// <summary>
    /// Writes one objective (with its key results, alignments and grade) as compact JSON in the
    /// <c>okr/1</c> shape of an element of <c>objectives</c>. For stores that keep an aggregate as a document.
    /// </summary>
    /// <param name="objective">The objective.</param>
    /// <returns>The JSON text.</returns>
    public static string SerializeObjective(Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return JsonSerializer.Serialize(OkrJsonMapper.ToDto(objective), Context(Compact).ObjectiveDto);
    }

    /// <summary>Reads one objective written by <see cref="SerializeObjective"/>, validating every part.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="OkrFormatException">The text is malformed or breaks the model's rules.</exception>
    public static Objective DeserializeObjective(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return DeserializeObjective(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads one objective from UTF-8 JSON written by <see cref="SerializeObjective"/>, validating every part.</summary>
    /// <param name="utf8Json">The UTF-8 bytes, for example straight from a database column.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="OkrFormatException">The input is malformed or breaks the model's rules.</exception>
    public static Objective DeserializeObjective(ReadOnlySpan<byte> utf8Json)
    {
        // What a store wrote takes the hand-written path; anything it does not take is read, or
        // named as wrong, by the general reader below.
        return ObjectiveBodyReader.TryRead(utf8Json, out var objective) ? objective! : DeserializeObjectiveGeneral(utf8Json);
    }

    /// <summary>The general reader of one objective: System.Text.Json into the wire shapes, then the mapper that names every problem.</summary>
    internal static Objective DeserializeObjectiveGeneral(ReadOnlySpan<byte> utf8Json)
    {
        ObjectiveDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(utf8Json, Context(Compact).ObjectiveDto);
        }
        catch (JsonException ex)
        {
            throw new OkrFormatException(FirstSentence(ex.Message), ex.Path ?? "$", ex);
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json reports a string with a broken escaped surrogate pair this way.
            throw BadText(ex);
        }

        return OkrJsonMapper.FromDto(dto ?? throw new OkrFormatException("The objective is null.", "$"));
    }

    /// <summary>Writes the data member of an event (compact).</summary>
    internal static string SerializeEventData(EventDataDto data) => JsonSerializer.Serialize(data, Context(Compact).EventDataDto);

    /// <summary>Reads the data member of an event; unknown members are an error, as in okr/1.</summary>
    internal static EventDataDto DeserializeEventData(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, Context(Compact).EventDataDto) ?? throw new OkrFormatException("The event data is null.", "$");
        }
        catch (JsonException ex)
        {
            throw new OkrFormatException(FirstSentence(ex.Message), ex.Path ?? "$", ex);
        }
    }

    private static readonly OkrJsonOptions Compact = new() { Indented = false };

    private static OkrJsonContext Context(OkrJsonOptions? options)
    {
        options ??= OkrJsonOptions.Default;
        return Contexts.GetOrAdd((options.Indented, options.MaxDepth), static key =>
        {
            var json = new JsonSerializerOptions(OkrJsonContext.Default.Options)
            {
                WriteIndented = key.Indented,
                MaxDepth = key.MaxDepth,

                // A member given twice is an error, not "the last one wins".
                AllowDuplicateProperties = false,
            };
            json.Converters.Add(new ExactDecimalConverter());
            foreach (var converter in ValueConverters())
            {
                json.Converters.Add(converter);
            }

            return new OkrJsonContext(json);
        });
    }

    /// <summary>The format's converters of values: instants and dates as ISO strings, ids as strings, units, enums as strings.</summary>
    private static System.Text.Json.Serialization.JsonConverter[] ValueConverters() =>
    [
        new InstantConverter(),
        new PatternConverter<LocalDate>(LocalDatePattern.Iso, "an ISO-8601 date such as 2026-01-05"),
        new IdentifierConverter<TenantId>(),
        new IdentifierConverter<PeriodId>(),
        new IdentifierConverter<ObjectiveId>(),
        new IdentifierConverter<KeyResultId>(),
        new IdentifierConverter<CheckInId>(),
        new MeasureUnitConverter(),
        new StrictEnumConverter<OwnerKind>(),
        new StrictEnumConverter<ObjectiveKind>(),
        new StrictEnumConverter<ObjectiveState>(),
        new StrictEnumConverter<Visibility>(),
        new StrictEnumConverter<AlignmentKind>(),
        new StrictEnumConverter<PeriodState>(),
        new StrictEnumConverter<ProgressSource>(),
        new StrictEnumConverter<MeasureKind>(),
        new StrictEnumConverter<Health.HealthStatus>(),
    ];

    /// <summary>Finds the top-level <c>format</c> member before anything else is read, so an unknown version is named as such.</summary>
    private static void CheckFormat(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new OkrFormatException("An OKR document must be a JSON object.", "$");
            }

            // One pass over the whole input: it finds the format member wherever it stands and
            // enforces the depth limit before any converter sees a value.
            string? format = null;
            var seen = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFormat = reader.ValueTextEquals("format"u8);
                reader.Read();
                if (isFormat)
                {
                    seen = true;
                    format = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }

            if (!seen)
            {
                throw new OkrFormatException($"The format member is missing; expected \"format\": \"{OkrDocument.CurrentFormat}\".", "$.format");
            }

            if (format is not (OkrDocument.CurrentFormat or OkrDocument.OrdinalFormat))
            {
                throw new OkrFormatException(
                    format is null
                        ? "The format member must be a string such as \"okr/1\"."
                        : $"Unsupported format '{format}': this version of Okr.Core reads '{OkrDocument.CurrentFormat}' and '{OkrDocument.OrdinalFormat}' only.",
                    "$.format");
            }
        }
        catch (InvalidOperationException ex)
        {
            throw BadText(ex);
        }
        catch (JsonException ex)
        {
            throw new OkrFormatException($"Malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}", "$", ex);
        }
    }

    private static OkrFormatException BadText(InvalidOperationException ex) =>
        new($"A string is not valid text: {FirstSentence(ex.Message)}", "$", ex);

    private static OkrFormatException TooLarge(long limit) =>
        new($"The document is larger than the limit of {limit} bytes (OkrJsonOptions.MaxDocumentBytes).", "$");

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The serializer's message without its path (the exception carries the JSON path) and without the names of
    /// this library's internal types, which mean nothing to the author of a document.
    /// </summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return InternalTypeNames().Replace(cut > 0 ? message[..cut] : message, m => Friendly(m.Groups["name"].Value));
    }

    private static string Friendly(string typeName) => typeName switch
    {
        "DocumentDto" => "an okr/1 document",
        "PeriodDto" => "a period",
        "ObjectiveDto" => "an objective",
        "KeyResultDto" => "a key result",
        "MeasureDto" => "a measure",
        "OwnerDto" => "an owner",
        "AlignmentDto" => "an alignment",
        "GradeDto" => "a grade",
        "CheckInDto" => "a check-in",
        "EventDataDto" => "event data",
        "HealthDto" => "a health assessment",
        "ImportCountsDto" => "import counts",
        "Decimal" or "Double" or "Int32" or "Int64" => "a number",
        "Boolean" => "true or false",
        "String" => "a string",
        "Instant" => "an instant",
        "LocalDate" => "a date",
        _ when typeName.StartsWith("List", StringComparison.Ordinal) => "a list",
        _ when typeName.StartsWith("Nullable", StringComparison.Ordinal) => "a value or null",
        _ => "a value",
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"'?\b(?:Okr\.Core\.[\w.]*\.|System\.Collections\.Generic\.|System\.|NodaTime\.)(?<name>[A-Za-z0-9_]+)(?:`\d+)?(?:\[[^\]]*\])?'?")]
    private static partial System.Text.RegularExpressions.Regex InternalTypeNames();
}
