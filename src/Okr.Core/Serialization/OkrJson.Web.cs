using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using NodaTime;

namespace Okr.Core.Serialization;

public static partial class OkrJson
{
    /// <summary>
    /// Teaches a host's <see cref="JsonSerializerOptions"/> (a web API's, for example ASP.NET Core's
    /// <c>ConfigureHttpJsonOptions(o =&gt; OkrJson.ConfigureWebOptions(o.SerializerOptions))</c>) the model types in the
    /// shapes of <c>okr/1</c>: ids as strings, instants and dates as ISO-8601 strings, decimals exact, enums as strings,
    /// a measure as an object with its <c>type</c>, and <see cref="Objective"/>, <see cref="KeyResult"/>,
    /// <see cref="Measure"/>, <see cref="CheckIn"/>, <see cref="OkrPeriod"/> and <see cref="OwnerRef"/> read back with
    /// every rule of the model checked (a broken one throws <see cref="OkrFormatException"/> or
    /// <see cref="OkrValidationException"/> naming the member within the value read: a path from an objective, a
    /// member of a measure read on its own). Source-generated and reflection-free: it also adds a
    /// resolver for those types, so it works trimmed and with native AOT.
    /// </summary>
    /// <param name="options">The options to add converters and the resolver to (not yet used for serialization).</param>
    /// <returns>The same options.</returns>
    public static JsonSerializerOptions ConfigureWebOptions(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var context = Context(Compact);
        JsonConverter[] converters =
        [
            .. ValueConverters(),
            new ModelConverter<Objective, ObjectiveDto>(context.ObjectiveDto, OkrJsonMapper.ToDto, OkrJsonMapper.FromDto),
            new ModelConverter<OkrPeriod, PeriodDto>(context.PeriodDto, OkrJsonMapper.ToDto, OkrJsonMapper.PeriodFromDto),
            new ModelConverter<CheckIn, CheckInDto>(context.CheckInDto, OkrJsonMapper.ToDto, OkrJsonMapper.CheckInFromDto),
            new ModelConverter<KeyResult, KeyResultDto>(context.KeyResultDto, OkrJsonMapper.ToDto, OkrJsonMapper.KeyResultFromDto),
            new ModelConverter<Measure, MeasureDto>(context.MeasureDto, OkrJsonMapper.ToDto, OkrJsonMapper.MeasureFromDto),
            new ModelConverter<OwnerRef, OwnerDto>(context.OwnerDto, OkrJsonMapper.ToDto, OkrJsonMapper.OwnerFromDto),
        ];
        foreach (var converter in converters)
        {
            options.Converters.Add(converter);
        }

        options.TypeInfoResolverChain.Add(new ModelResolver());
        return options;
    }

    /// <summary>A model type written and read through its <c>okr/1</c> shape, with the model's checks on the way in.</summary>
    private sealed class ModelConverter<TModel, TDto>(JsonTypeInfo<TDto> dto, Func<TModel, TDto> toDto, Func<TDto, TModel> fromDto) : JsonConverter<TModel>
        where TDto : class
    {
        public override TModel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var read = JsonSerializer.Deserialize(ref reader, dto) ?? throw new OkrFormatException($"A {typeof(TModel).Name} cannot be null here.", "$");
            return fromDto(read);
        }

        public override void Write(Utf8JsonWriter writer, TModel value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, toDto(value), dto);
    }

    /// <summary>Type information for the model types from the converters above, without reflection.</summary>
    private sealed class ModelResolver : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
        {
            JsonTypeInfo? Value<T>() => options.Converters.OfType<JsonConverter<T>>().FirstOrDefault() is { } converter ? JsonMetadataServices.CreateValueInfo<T>(options, converter) : null;
            return type == typeof(Objective) ? Value<Objective>()
                : type == typeof(OkrPeriod) ? Value<OkrPeriod>()
                : type == typeof(CheckIn) ? Value<CheckIn>()
                : type == typeof(KeyResult) ? Value<KeyResult>()
                : type == typeof(Measure) ? Value<Measure>()
                : type == typeof(OwnerRef) ? Value<OwnerRef>()
                : type == typeof(ObjectiveId) ? Value<ObjectiveId>()
                : type == typeof(PeriodId) ? Value<PeriodId>()
                : type == typeof(KeyResultId) ? Value<KeyResultId>()
                : type == typeof(CheckInId) ? Value<CheckInId>()
                : type == typeof(TenantId) ? Value<TenantId>()
                : type == typeof(Instant) ? Value<Instant>()
                : type == typeof(LocalDate) ? Value<LocalDate>()
                : null;
        }
    }
}
