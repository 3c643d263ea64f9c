using Okr.Core.Health;

namespace Okr.Core.Serialization;

#pragma warning disable CA1812 // instantiated by the source-generated serializer
#pragma warning disable CA2227 // optional members are settable, as in Dtos.cs

// The data member of an okr-event/1 event (docs/events.md). Every member is optional; each event type documents which
// it carries. Objects use the okr/1 shapes, so a reader of exports reads events too.
internal sealed class EventDataDto
{
    public ObjectiveDto? Objective { get; set; }

    public PeriodDto? Period { get; set; }

    public CheckInDto? CheckIn { get; set; }

    public KeyResultDto? KeyResult { get; set; }

    public AlignmentDto? Alignment { get; set; }

    public ObjectiveId? ObjectiveId { get; set; }

    public PeriodId? PeriodId { get; set; }

    public KeyResultId? KeyResultId { get; set; }

    public List<string>? Changes { get; set; }

    public HealthDto? Previous { get; set; }

    public HealthDto? Current { get; set; }

    public double? Score { get; set; }

    public ImportCountsDto? Import { get; set; }
}

internal sealed class HealthDto
{
    public required HealthStatus Status { get; init; }

    public double? Progress { get; set; }

    public double ExpectedProgress { get; set; }
}

internal sealed class ImportCountsDto
{
    public int Periods { get; set; }

    public int Objectives { get; set; }

    public int CheckIns { get; set; }
}
