using System.Buffers.Text;
using System.Text.Json;
using NodaTime;

namespace Okr.Core.Serialization;

/// <summary>
/// A hand-written reader for the common case of one objective body as <see cref="OkrJson.SerializeObjective"/>
/// writes it (what a store reads back for every row). It walks the UTF-8 tokens once and builds the model
/// through its validating constructors, without the DTO layer of the general reader.
/// </summary>
/// <remarks>
/// It accepts a strict subset of what the general reader accepts: anything it does not expect (an unknown or
/// repeated member, a null, an escaped identifier, an unusual instant, a value the model rejects) makes
/// <see cref="TryRead"/> return false, and the caller then runs the general reader, which either reads the
/// input or names the problem. Whenever it returns true, the objective equals the general reader's.
/// A property test holds the two readers to that.
/// </remarks>
internal static class ObjectiveBodyReader
{
    private static readonly ItemReader<KeyResult> KeyResultItem = TryKeyResult;
    private static readonly ItemReader<AlignmentLink> AlignmentItem = TryAlignment;
    private static readonly ItemReader<OrdinalLevel> LevelItem = TryLevel;

    public static bool TryRead(ReadOnlySpan<byte> utf8Json, out Objective? objective)
    {
        objective = null;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            if (!TryObjective(ref reader, out objective))
            {
                return false;
            }

            // Nothing but whitespace may follow.
            return !reader.Read();
        }
        catch (JsonException)
        {
            objective = null;
            return false;
        }
        catch (OkrValidationException)
        {
            objective = null;
            return false;
        }
        catch (ArgumentException)
        {
            objective = null;
            return false;
        }
        catch (InvalidOperationException)
        {
            // A string with a broken escaped surrogate pair.
            objective = null;
            return false;
        }
    }

    private static bool TryObjective(ref Utf8JsonReader reader, out Objective? objective)
    {
        objective = null;
        ObjectiveId id = default;
        PeriodId periodId = default;
        string? title = null;
        var description = string.Empty;
        OwnerRef owner = default;
        var kind = default(ObjectiveKind);
        var state = default(ObjectiveState);
        var visibility = default(Visibility);
        List<KeyResult>? keyResults = null;
        List<AlignmentLink>? alignments = null;
        long version = 0;
        Instant? createdAt = null, updatedAt = null;
        FinalGrade? grade = null;
        OwnerRef? updatedBy = null;
        string? reopenReason = null;
        ObjectiveId carriedFrom = default;
        var seen = 0;
        var next = 0;

        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (title is null || owner.IsEmpty || createdAt is null || updatedAt is null || (seen & (Bit.Id | Bit.PeriodId)) != (Bit.Id | Bit.PeriodId))
                {
                    return false;
                }

                objective = new Objective(id, periodId, title, description, owner, kind, state, visibility, keyResults ?? [], alignments ?? [], version, createdAt.Value, updatedAt.Value, grade, updatedBy, reopenReason, carriedFrom == default ? null : carriedFrom);
                return true;
            }

            var member = Member(ref reader, Names.Objective, ref next);
            if (member < 0 || !Once(ref seen, member) || !reader.Read())
            {
                return false;
            }

            var ok = member switch
            {
                0 => TryId(ref reader, out id),
                1 => TryId(ref reader, out periodId),
                2 => TryString(ref reader, out title),
                3 => TryString(ref reader, out description!),
                4 => TryOwner(ref reader, out owner),
                5 => TryEnum(ref reader, Names.ObjectiveKinds, out kind),
                6 => TryEnum(ref reader, Names.ObjectiveStates, out state),
                7 => TryEnum(ref reader, Names.Visibilities, out visibility),
                8 => TryArray(ref reader, 4, KeyResultItem, out keyResults),
                9 => TryArray(ref reader, 1, AlignmentItem, out alignments),
                10 => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out version),
                11 => TryInstant(ref reader, out createdAt),
                12 => TryInstant(ref reader, out updatedAt),
                13 => TryGrade(ref reader, out grade),
                14 => TryOptionalOwner(ref reader, out updatedBy),
                15 => TryString(ref reader, out reopenReason),
                16 => TryId(ref reader, out carriedFrom) && carriedFrom != default,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return false;
    }

    private delegate bool ItemReader<T>(ref Utf8JsonReader reader, out T? item)
        where T : class;

    /// <summary>Reads an array of objects, each with <paramref name="readItem"/> (called on its StartObject).</summary>
    private static bool TryArray<T>(ref Utf8JsonReader reader, int capacity, ItemReader<T> readItem, out List<T>? items)
        where T : class
    {
        items = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var list = new List<T>(capacity);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                items = list;
                return true;
            }

            if (reader.TokenType != JsonTokenType.StartObject || !readItem(ref reader, out var item))
            {
                return false;
            }

            list.Add(item!);
        }

        return false;
    }

    private static bool TryKeyResult(ref Utf8JsonReader reader, out KeyResult? keyResult)
    {
        keyResult = null;
        KeyResultId id = default;
        string? title = null;
        Measure? measure = null;
        var weight = 1.0;
        OwnerRef? owner = null;
        var source = default(ProgressSource);
        var cancelled = false;
        var seen = 0;
        var next = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if ((seen & Bit.Id) == 0 || title is null || measure is null)
                {
                    return false;
                }

                keyResult = new KeyResult(id, title, measure, weight, owner, source, cancelled);
                return true;
            }

            var member = Member(ref reader, Names.KeyResult, ref next);
            if (member < 0 || !Once(ref seen, member) || !reader.Read())
            {
                return false;
            }

            var ok = member switch
            {
                0 => TryId(ref reader, out id),
                1 => TryString(ref reader, out title),
                2 => TryMeasure(ref reader, out measure),
                3 => TryDouble(ref reader, out weight),
                4 => TryOptionalOwner(ref reader, out owner),
                5 => TryEnum(ref reader, Names.ProgressSources, out source),
                6 => TryBoolean(ref reader, out cancelled),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return false;
    }

    private static bool TryMeasure(ref Utf8JsonReader reader, out Measure? measure)
    {
        measure = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        MeasureKind? type = null;
        var unit = MeasureUnit.Number;

        // baseline, commit, target, stretch, threshold, low, high; or an ordinal measure's levels
        Span<decimal> levels = stackalloc decimal[7];
        List<OrdinalLevel>? ordinal = null;
        var present = 0;
        var seen = 0;
        var next = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (type is null)
                {
                    return false;
                }

                measure = type == MeasureKind.Ordinal
                    ? (ordinal is null ? null : new OrdinalMeasure(ordinal))
                    : BuildMeasure(type.Value, unit, levels, present);
                return measure is not null;
            }

            var member = Member(ref reader, Names.Measure, ref next);
            if (member < 0 || !Once(ref seen, member) || !reader.Read())
            {
                return false;
            }

            switch (member)
            {
                case 0:
                    if (!TryEnum(ref reader, Names.MeasureKinds, out MeasureKind kind))
                    {
                        return false;
                    }

                    type = kind;
                    break;
                case 1:
                    if (!TryUnit(ref reader, out unit))
                    {
                        return false;
                    }

                    break;
                case 9:
                    if (!TryArray(ref reader, OrdinalMeasure.MaxLevels, LevelItem, out ordinal))
                    {
                        return false;
                    }

                    break;
                default:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out levels[member - 2]))
                    {
                        return false;
                    }

                    present |= 1 << (member - 2);
                    break;
            }
        }

        return false;
    }

    private static Measure? BuildMeasure(MeasureKind type, MeasureUnit unit, ReadOnlySpan<decimal> levels, int present)
    {
        const int Baseline = 1, Commit = 2, Target = 4, Stretch = 8, Threshold = 16, Low = 32, High = 64;
        decimal? stretch = (present & Stretch) != 0 ? levels[3] : null;
        bool Has(int bits) => (present & bits) == bits;

        // Levels that the kind does not use are ignored by the general reader too.
        return type switch
        {
            MeasureKind.Increase when Has(Baseline | Target) => new IncreaseMeasure(levels[0], levels[2], stretch, unit),
            MeasureKind.Decrease when Has(Baseline | Target) => new DecreaseMeasure(levels[0], levels[2], stretch, unit),
            MeasureKind.StayAbove when Has(Threshold) => new StayAboveMeasure(levels[4], unit),
            MeasureKind.StayBelow when Has(Threshold) => new StayBelowMeasure(levels[4], unit),
            MeasureKind.WithinRange when Has(Low | High) => new WithinRangeMeasure(levels[5], levels[6], unit),
            MeasureKind.Milestone => new MilestoneMeasure(),
            MeasureKind.Staged when Has(Baseline | Commit | Target | Stretch) => new StagedMeasure(levels[0], levels[1], levels[2], levels[3], unit),
            _ => null,
        };
    }

    private static bool TryLevel(ref Utf8JsonReader reader, out OrdinalLevel? level)
    {
        level = null;
        string? name = null;
        var score = 0.0;
        var seen = 0;
        var next = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (seen != 3)
                {
                    return false;
                }

                level = new OrdinalLevel(name!, score);
                return true;
            }

            var member = Member(ref reader, Names.Level, ref next);
            if (member < 0 || !Once(ref seen, member) || !reader.Read() || !(member == 0 ? TryString(ref reader, out name) : TryDouble(ref reader, out score)))
            {
                return false;
            }
        }

        return false;
    }

    private static bool TryAlignment(ref Utf8JsonReader reader, out AlignmentLink? link)
    {
        link = null;
        ObjectiveId parent = default;
        KeyResultId? parentKeyResult = null;
        var weight = 1.0;
        var kind = default(AlignmentKind);
        var seen = 0;
        var next = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if ((seen & Bit.Id) == 0)
                {
                    return false;
                }

                link = new AlignmentLink(parent, parentKeyResult, weight, kind);
                return true;
            }

            var member = Member(ref reader, Names.Alignment, ref next);
            if (member < 0 || !Once(ref seen, member) || !reader.Read())
            {
                return false;
            }

            var ok = member switch
            {
                0 => TryId(ref reader, out parent),
                1 => TryOptionalId(ref reader, out parentKeyResult),
                2 => TryDouble(ref reader, out weight),
                3 => TryEnum(ref reader, Names.AlignmentKinds, out kind),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return false;
    }

    private static bool TryGrade(ref Utf8JsonReader reader, out FinalGrade? grade)
    {
        grade = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        double computed = 0, value = 0;
        OwnerRef? by = null;
        string? reason = null;
        var seen = 0;
        var next = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if ((seen & 3) != 3)
                {
                    return false;
                }

                grade = FinalGrade.Create(computed, value, by, reason);
                return true;
            }

            var member = Member(ref reader, Names.Grade, ref next);
            if (member < 0 || !Once(ref seen, member) || !reader.Read())
            {
                return false;
            }

            var ok = member switch
            {
                0 => TryDouble(ref reader, out computed),
                1 => TryDouble(ref reader, out value),
                2 => TryOptionalOwner(ref reader, out by),
                3 => TryString(ref reader, out reason),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return false;
    }

    private static bool TryOptionalOwner(ref Utf8JsonReader reader, out OwnerRef? owner)
    {
        owner = null;
        if (!TryOwner(ref reader, out var value))
        {
            return false;
        }

        owner = value;
        return true;
    }

    private static bool TryOwner(ref Utf8JsonReader reader, out OwnerRef owner)
    {
        owner = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        OwnerKind? kind = null;
        string? id = null;
        var seen = 0;
        var next = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (kind is null || id is null)
                {
                    return false;
                }

                owner = new OwnerRef(kind.Value, id);
                return true;
            }

            var member = Member(ref reader, Names.Owner, ref next);
            if (member < 0 || !Once(ref seen, member) || !reader.Read())
            {
                return false;
            }

            if (member == 0)
            {
                if (!TryEnum(ref reader, Names.OwnerKinds, out OwnerKind value))
                {
                    return false;
                }

                kind = value;
            }
            else if (!TryString(ref reader, out id))
            {
                return false;
            }
        }

        return false;
    }

    private static bool TryId<T>(ref Utf8JsonReader reader, out T id)
        where T : struct, IOkrIdentifier<T>
    {
        id = default;

        // The form the writer produces: 36 lower-case characters, no escapes; anything else goes to the general reader.
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence || reader.ValueIsEscaped)
        {
            return false;
        }

        var span = reader.ValueSpan;
        if (span.Length != 36 || !Utf8Parser.TryParse(span, out Guid guid, out var consumed, 'D') || consumed != 36 || guid == Guid.Empty)
        {
            return false;
        }

        foreach (var b in span)
        {
            if (b is >= (byte)'A' and <= (byte)'F')
            {
                return false;
            }
        }

        id = T.FromGuid(guid);
        return true;
    }

    private static bool TryOptionalId<T>(ref Utf8JsonReader reader, out T? id)
        where T : struct, IOkrIdentifier<T>
    {
        id = null;
        if (!TryId(ref reader, out T value))
        {
            return false;
        }

        id = value;
        return true;
    }

    private static bool TryString(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        text = reader.GetString();
        return true;
    }

    private static bool TryDouble(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
    }

    private static bool TryBoolean(ref Utf8JsonReader reader, out bool value)
    {
        value = reader.TokenType == JsonTokenType.True;
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False;
    }

    private static bool TryUnit(ref Utf8JsonReader reader, out MeasureUnit unit)
    {
        unit = MeasureUnit.Number;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (!reader.ValueIsEscaped && reader.ValueTextEquals("percent"u8))
        {
            unit = MeasureUnit.Percent;
            return true;
        }

        return MeasureUnit.TryParse(reader.GetString(), out unit);
    }

    /// <summary>Reads the instant form the writer produces, <c>uuuu-MM-ddTHH:mm:ss[.fffffffff]Z</c>; anything else goes to the general reader.</summary>
    internal static bool TryInstant(ref Utf8JsonReader reader, out Instant? instant)
    {
        instant = null;
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence || reader.ValueIsEscaped)
        {
            return false;
        }

        var s = reader.ValueSpan;
        if (s.Length < 20 || s.Length == 21 || s.Length > 30 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[^1] != 'Z')
        {
            return false;
        }

        if (!Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day)
            || !Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute) || !Digits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        long nanos = 0;
        if (s.Length > 20)
        {
            // A fraction of 1 to 9 digits.
            if (s[19] != '.')
            {
                return false;
            }

            var fraction = s[20..^1];
            if (!Digits(fraction, out var value))
            {
                return false;
            }

            nanos = value;
            for (var i = fraction.Length; i < 9; i++)
            {
                nanos *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        instant = Instant.FromUtc(year, month, day, hour, minute, second).PlusNanoseconds(nanos);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static bool TryEnum<T>(ref Utf8JsonReader reader, (byte[] Name, T Value)[] names, out T value)
        where T : struct, Enum
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return false;
        }

        var span = reader.ValueSpan;
        foreach (var (name, candidate) in names)
        {
            if (span.SequenceEqual(name))
            {
                value = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The index of the current property name in <paramref name="names"/>, or -1. The writer emits members in
    /// declaration order, so the one after the previous member is tried first.
    /// </summary>
    private static int Member(ref Utf8JsonReader reader, byte[][] names, ref int next)
    {
        if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return -1;
        }

        var span = reader.ValueSpan;
        if (next < names.Length && span.SequenceEqual(names[next]))
        {
            return next++;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (span.SequenceEqual(names[i]))
            {
                next = i + 1;
                return i;
            }
        }

        return -1;
    }

    private static bool Once(ref int seen, int member)
    {
        var bit = 1 << member;
        if ((seen & bit) != 0)
        {
            return false;
        }

        seen |= bit;
        return true;
    }

    private static class Bit
    {
        public const int Id = 1;
        public const int PeriodId = 2;
    }

    private static class Names
    {
        public static readonly byte[][] Objective = Utf8("id", "periodId", "title", "description", "owner", "kind", "state", "visibility", "keyResults", "alignments", "version", "createdAt", "updatedAt", "grade", "updatedBy", "reopenReason", "carriedFrom");
        public static readonly byte[][] KeyResult = Utf8("id", "title", "measure", "weight", "owner", "progressSource", "cancelled");
        public static readonly byte[][] Measure = Utf8("type", "unit", "baseline", "commit", "target", "stretch", "threshold", "low", "high", "levels");
        public static readonly byte[][] Level = Utf8("name", "score");
        public static readonly byte[][] Alignment = Utf8("objective", "keyResult", "weight", "kind");
        public static readonly byte[][] Grade = Utf8("computed", "value", "overriddenBy", "overrideReason");
        public static readonly byte[][] Owner = Utf8("kind", "id");

        public static readonly (byte[], ObjectiveKind)[] ObjectiveKinds = Enum<ObjectiveKind>();
        public static readonly (byte[], ObjectiveState)[] ObjectiveStates = Enum<ObjectiveState>();
        public static readonly (byte[], Visibility)[] Visibilities = Enum<Visibility>();
        public static readonly (byte[], ProgressSource)[] ProgressSources = Enum<ProgressSource>();
        public static readonly (byte[], MeasureKind)[] MeasureKinds = Enum<MeasureKind>();
        public static readonly (byte[], AlignmentKind)[] AlignmentKinds = Enum<AlignmentKind>();
        public static readonly (byte[], OwnerKind)[] OwnerKinds = Enum<OwnerKind>();

        private static byte[][] Utf8(params string[] names) => [.. names.Select(System.Text.Encoding.UTF8.GetBytes)];

        // The names the general reader's JsonStringEnumConverter uses: camelCase of the member name.
        private static (byte[], T)[] Enum<T>()
            where T : struct, Enum =>
            [.. System.Enum.GetValues<T>().Select(v => (System.Text.Encoding.UTF8.GetBytes(JsonNamingPolicy.CamelCase.ConvertName(System.Enum.GetName(v)!)), v))];
    }
}
