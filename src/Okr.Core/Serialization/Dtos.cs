using System.Text.Json.Serialization;
using NodaTime;

namespace Okr.Core.Serialization;

// The wire shapes of okr/1. They are separate from the domain types so that the format stays
// stable while the model evolves, and so that every value passes the domain's validation on read.
// `required` and non-nullable members let System.Text.Json report missing or null members with
// their JSON path.
#pragma warning disable CA1812 // instantiated by the source-generated serializer

internal sealed class DocumentDto
{
    public required string Format { get; init; }

    public required TenantId Tenant { get; init; }

    public Instant? ExportedAt { get; init; }

    public List<PeriodDto> Periods { get; init; } = [];

    public List<ObjectiveDto> Objectives { get; init; } = [];

    public List<CheckInDto> CheckIns { get; init; } = [];
}

internal sealed class PeriodDto
{
    public required PeriodId Id { get; init; }

    public required string Name { get; init; }

    public required LocalDate Start { get; init; }

    public required LocalDate End { get; init; }

    public PeriodState State { get; init; }

    public string? ReopenReason { get; init; }
}

internal sealed class OwnerDto
{
    public required OwnerKind Kind { get; init; }

    public required string Id { get; init; }
}

internal sealed class MeasureDto
{
    public required MeasureKind Type { get; init; }

    public MeasureUnit? Unit { get; init; }

    public decimal? Baseline { get; init; }

    public decimal? Commit { get; init; }

    public decimal? Target { get; init; }

    public decimal? Stretch { get; init; }

    public decimal? Threshold { get; init; }

    public decimal? Low { get; init; }

    public decimal? High { get; init; }
}

internal sealed class KeyResultDto
{
    public required KeyResultId Id { get; init; }

    public required string Title { get; init; }

    public required MeasureDto Measure { get; init; }

    public double Weight { get; init; } = 1.0;

    public OwnerDto? Owner { get; init; }

    public ProgressSource ProgressSource { get; init; }

    public bool Cancelled { get; init; }
}

internal sealed class AlignmentDto
{
    public required ObjectiveId Objective { get; init; }

    public KeyResultId? KeyResult { get; init; }

    public double Weight { get; init; } = 1.0;

    public AlignmentKind Kind { get; init; }
}

internal sealed class GradeDto
{
    public required double Computed { get; init; }

    public required double Value { get; init; }

    public OwnerDto? OverriddenBy { get; init; }

    public string? OverrideReason { get; init; }
}

internal sealed class ObjectiveDto
{
    public required ObjectiveId Id { get; init; }

    public required PeriodId PeriodId { get; init; }

    public required string Title { get; init; }

    public string Description { get; init; } = string.Empty;

    public required OwnerDto Owner { get; init; }

    public ObjectiveKind Kind { get; init; }

    public ObjectiveState State { get; init; }

    public Visibility Visibility { get; init; }

    public List<KeyResultDto> KeyResults { get; init; } = [];

    public List<AlignmentDto> Alignments { get; init; } = [];

    public long Version { get; init; }

    public required Instant CreatedAt { get; init; }

    public required Instant UpdatedAt { get; init; }

    public GradeDto? Grade { get; init; }

    public OwnerDto? UpdatedBy { get; init; }
}

internal sealed class CheckInDto
{
    public required CheckInId Id { get; init; }

    public required KeyResultId KeyResult { get; init; }

    public required decimal Value { get; init; }

    public required OwnerDto Author { get; init; }

    public required Instant EffectiveAt { get; init; }

    public required Instant RecordedAt { get; init; }

    public double? Confidence { get; init; }

    public string Note { get; init; } = string.Empty;

    public CheckInId? Corrects { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    WriteIndented = true)]
[JsonSerializable(typeof(DocumentDto))]
[JsonSerializable(typeof(ObjectiveDto))]
internal sealed partial class OkrJsonContext : JsonSerializerContext
{
}
