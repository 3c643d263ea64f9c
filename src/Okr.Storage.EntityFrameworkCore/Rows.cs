using Okr.Core;
using Okr.Core.Storage;

namespace Okr.Storage.EntityFrameworkCore;

// The rows of the OKR tables, mapped by OkrModelBuilderExtensions.AddOkr. The same tables and columns as the ADO stores'
// (docs/sql), with the tenant leading every key and index; instants are signed 64-bit nanoseconds since the Unix epoch.
#pragma warning disable CA1812 // Instantiated by EF Core.

/// <summary>A row of an OKR table: what the store detaches from a shared context after each call.</summary>
internal interface IOkrRow;

/// <summary>The columns a period's row and its audit trail's rows share.</summary>
internal interface IPeriodColumns
{
    Guid Id { get; }
    string Name { get; }
    DateOnly StartDate { get; }
    DateOnly EndDate { get; }
    short State { get; }
    string? ReopenReason { get; }
    short? UpdatedByKind { get; }
    string? UpdatedById { get; }
    long? UpdatedAt { get; }
    long Version { get; }
}

internal sealed class PeriodRow : IOkrRow, IPeriodColumns
{
    public Guid Tenant { get; set; }
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public short State { get; set; }
    public string? ReopenReason { get; set; }
    public short? UpdatedByKind { get; set; }
    public string? UpdatedById { get; set; }
    public long? UpdatedAt { get; set; }
    public long Version { get; set; }
}

internal sealed class PeriodHistoryRow : IOkrRow, IPeriodColumns
{
    public Guid Tenant { get; set; }
    public Guid Id { get; set; }
    public long Seq { get; set; }
    public string Name { get; set; } = "";
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public short State { get; set; }
    public string? ReopenReason { get; set; }
    public short? UpdatedByKind { get; set; }
    public string? UpdatedById { get; set; }
    public long? UpdatedAt { get; set; }
    public long Version { get; set; }
}

internal sealed class ObjectiveRow : IOkrRow
{
    public Guid Tenant { get; set; }
    public Guid Id { get; set; }
    public Guid PeriodId { get; set; }
    public short OwnerKind { get; set; }
    public string OwnerId { get; set; } = "";
    public short State { get; set; }
    public long Version { get; set; }
    public string Body { get; set; } = "";
}

internal sealed class ObjectiveHistoryRow : IOkrRow
{
    public Guid Tenant { get; set; }
    public Guid Id { get; set; }
    public long Seq { get; set; }
    public long Version { get; set; }
    public string Body { get; set; } = "";
}

internal sealed class KeyResultRow : IOkrRow
{
    public Guid Tenant { get; set; }
    public Guid Id { get; set; }
    public Guid ObjectiveId { get; set; }
}

internal sealed class AlignmentRow : IOkrRow
{
    public Guid Tenant { get; set; }
    public Guid ParentId { get; set; }
    public Guid ChildId { get; set; }
}

internal sealed class CheckInRow : IOkrRow
{
    public Guid Tenant { get; set; }
    public Guid Id { get; set; }
    public Guid KrId { get; set; }
    public decimal Value { get; set; }
    public short AuthorKind { get; set; }
    public string AuthorId { get; set; } = "";
    public long EffectiveAt { get; set; }
    public long RecordedAt { get; set; }
    public double? Confidence { get; set; }
    public string Note { get; set; } = "";
    public Guid? Corrects { get; set; }
}

/// <summary>
/// A key result's current value: the check-in in force, kept whole beside its id (so "now" is one keyed read of one
/// table), and when the key result's latest check-in was recorded.
/// </summary>
internal sealed class KeyResultValueRow : IOkrRow
{
    public Guid Tenant { get; set; }
    public Guid KrId { get; set; }
    public Guid? CheckInId { get; set; }
    public long LastRecordedAt { get; set; }
    public decimal? Value { get; set; }
    public short? AuthorKind { get; set; }
    public string? AuthorId { get; set; }
    public long? EffectiveAt { get; set; }
    public long? RecordedAt { get; set; }
    public double? Confidence { get; set; }
    public string? Note { get; set; }
    public Guid? Corrects { get; set; }

    public void Hold(CheckIn? c)
    {
        CheckInId = c?.Id.Value;
        Value = c?.Value;
        AuthorKind = c is null ? null : (short)c.Author.Kind;
        AuthorId = c?.Author.ExternalId;
        EffectiveAt = c is null ? null : OkrStoreFormat.ToUnixNanoseconds(c.EffectiveAt);
        RecordedAt = c is null ? null : OkrStoreFormat.ToUnixNanoseconds(c.RecordedAt);
        Confidence = c?.Confidence?.Value;
        Note = c?.Note;
        Corrects = c?.Corrects?.Value;
    }

    public CheckIn? InForce() => CheckInId is not { } id ? null : new CheckIn(
        new CheckInId(id),
        new KeyResultId(KrId),
        Value!.Value,
        new OwnerRef((OwnerKind)AuthorKind!.Value, AuthorId!),
        OkrStoreFormat.FromUnixNanoseconds(EffectiveAt!.Value),
        OkrStoreFormat.FromUnixNanoseconds(RecordedAt!.Value),
        Confidence is { } confidence ? new Confidence(confidence) : null,
        Note!,
        Corrects is { } corrects ? new CheckInId(corrects) : null);
}

internal sealed class EventStreamRow : IOkrRow
{
    public Guid Tenant { get; set; }
    public long LastSequence { get; set; }
    public long DeliveredThrough { get; set; }
    public int Attempts { get; set; }
    public long NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public Guid? LeaseToken { get; set; }
    public string? LeaseOwner { get; set; }
    public long? LeaseUntil { get; set; }
}

internal sealed class EventRow : IOkrRow
{
    public Guid Tenant { get; set; }
    public long Sequence { get; set; }
    public Guid Id { get; set; }
    public string Type { get; set; } = "";
    public long OccurredAt { get; set; }
    public short? ActorKind { get; set; }
    public string? ActorId { get; set; }
    public string Data { get; set; } = "";
}
