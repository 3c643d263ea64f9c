using System.Text.Json.Serialization;
using NodaTime;

namespace Okr.Core.Serialization;

// The wire shapes of okr/1. They are separate from the domain types so that the format stays
// stable while the model evolves, and so that every value passes the domain's validation on read.
// `required` and non-nullable members let System.Text.Json report missing or null members with
// their JSON path.
#pragma warning disable CA1812 // instantiated by the source-generated serializer
#pragma warning disable CA2227 // optional members are settable, see below

// Optional members have setters, not init accessors: the source-generated reader assigns init-only members
// even when the JSON leaves them out (to their type's default), which would wipe the defaults below
// (an empty description, a weight of 1, empty lists). Setters are only called for members that are present.

internal sealed class DocumentDto
{
    public required string Format { get; init; }

    public required TenantId Tenant { get; init; }

    public Instant? ExportedAt { get; set; }

    public List<PeriodDto> Periods { get; set; } = [];

    public List<ObjectiveDto> Objectives { get; set; } = [];

    public List<CheckInDto> CheckIns { get; set; } = [];
}

internal sealed class PeriodDto
{
    public required PeriodId Id { get; init; }

    public required string Name { get; init; }

    public required LocalDate Start { get; init; }

    public required LocalDate End { get; init; }

    public PeriodState State { get; set; }

    public string? ReopenReason { get; set; }

    public OwnerDto? UpdatedBy { get; set; }

    public Instant? UpdatedAt { get; set; }

    public long Version { get; set; }
}

internal sealed class OwnerDto
{
    public required OwnerKind Kind { get; init; }

    public required string Id { get; init; }
}

internal sealed class MeasureDto
{
    public required MeasureKind Type { get; init; }

    public MeasureUnit? Unit { get; set; }

    public decimal? Baseline { get; set; }

    public decimal? Commit { get; set; }

    public decimal? Target { get; set; }

    public decimal? Stretch { get; set; }

    public decimal? Threshold { get; set; }

    public decimal? Low { get; set; }

    public decimal? High { get; set; }

    public List<OrdinalLevelDto>? Levels { get; set; }
}

internal sealed class OrdinalLevelDto
{
    public required string Name { get; init; }

    public required double Score { get; init; }
}

internal sealed class KeyResultDto
{
    public required KeyResultId Id { get; init; }

    public required string Title { get; init; }

    public required MeasureDto Measure { get; init; }

    public double Weight { get; set; } = 1.0;

    public OwnerDto? Owner { get; set; }

    public ProgressSource ProgressSource { get; set; }

    public bool Cancelled { get; set; }

    public CadenceDto? Cadence { get; set; }

    public MetricDto? Metric { get; set; }
}

internal sealed class MetricDto
{
    public required string Source { get; init; }

    public required string Key { get; init; }
}

/// <summary>A check-in cadence: <c>kind</c> is weekly, everyWeeks, monthly or dates.</summary>
internal sealed class CadenceDto
{
    public required string Kind { get; init; }

    public string? Day { get; set; }

    public int? Weeks { get; set; }

    public int? DayOfMonth { get; set; }

    public List<LocalDate>? Dates { get; set; }

    public int? GraceDays { get; set; }
}

internal sealed class AlignmentDto
{
    public required ObjectiveId Objective { get; init; }

    public KeyResultId? KeyResult { get; set; }

    public double Weight { get; set; } = 1.0;

    public AlignmentKind Kind { get; set; }
}

internal sealed class GradeDto
{
    public required double Computed { get; init; }

    public required double Value { get; init; }

    public OwnerDto? OverriddenBy { get; set; }

    public string? OverrideReason { get; set; }
}

internal sealed class ObjectiveDto
{
    public required ObjectiveId Id { get; init; }

    public required PeriodId PeriodId { get; init; }

    public required string Title { get; init; }

    public string Description { get; set; } = string.Empty;

    public required OwnerDto Owner { get; init; }

    public ObjectiveKind Kind { get; set; }

    public ObjectiveState State { get; set; }

    public Visibility Visibility { get; set; }

    public List<KeyResultDto> KeyResults { get; set; } = [];

    public List<AlignmentDto> Alignments { get; set; } = [];

    public long Version { get; set; }

    public required Instant CreatedAt { get; init; }

    public required Instant UpdatedAt { get; init; }

    public GradeDto? Grade { get; set; }

    public OwnerDto? UpdatedBy { get; set; }

    public string? ReopenReason { get; set; }

    public ObjectiveId? CarriedFrom { get; set; }

    public CadenceDto? Cadence { get; set; }
}

internal sealed class CheckInDto
{
    public required CheckInId Id { get; init; }

    public required KeyResultId KeyResult { get; init; }

    public required decimal Value { get; init; }

    public required OwnerDto Author { get; init; }

    public required Instant EffectiveAt { get; init; }

    public required Instant RecordedAt { get; init; }

    public double? Confidence { get; set; }

    public string Note { get; set; } = string.Empty;

    public CheckInId? Corrects { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    WriteIndented = true)]
[JsonSerializable(typeof(DocumentDto))]
[JsonSerializable(typeof(ObjectiveDto))]
[JsonSerializable(typeof(EventDataDto))]
internal sealed partial class OkrJsonContext : JsonSerializerContext
{
}
