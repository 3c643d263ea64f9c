using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Okr.Core.Events;
using Okr.Core.Serialization;

namespace Okr.Core.Service;

/// <summary>
/// Builds the events of one facade change (docs/events.md), at one instant and for one actor. The facade adds them to
/// the change's unit, so they commit with it or not at all.
/// </summary>
internal sealed class OkrEventFactory(TenantId tenant, Instant now, OwnerRef? actor)
{
    public static OkrEventFactory For(OkrService service, TenantId tenant) => new(tenant, service.Clock.GetCurrentInstant(), service.Actor);

    public Instant Now => now;

    /// <summary>An event with a new (time-ordered) id.</summary>
    public OkrEvent Make(string type, EventDataDto data) =>
        new(Guid.CreateVersion7(now.ToDateTimeOffset()), tenant, 0, type, now, actor, OkrJson.SerializeEventData(data));

    /// <summary>
    /// An event whose id follows from what it is about (a check-in's id and the type): recording the same check-in
    /// again gives the same id, and the store skips an id it already has, so a retry raises nothing twice.
    /// </summary>
    public OkrEvent Derived(string type, Guid about, EventDataDto data) =>
        new(DerivedId(tenant, about, type), tenant, 0, type, now, actor, OkrJson.SerializeEventData(data));

    public OkrEvent Period(string type, OkrPeriod storedPeriod, double? score = null) =>
        Make(type, new EventDataDto { Period = OkrJsonMapper.ToDto(storedPeriod), Score = score });

    /// <summary>The events of one objective write: <paramref name="before"/> null for a create; <paramref name="after"/> as it will be stored.</summary>
    public IEnumerable<OkrEvent> Objective(Objective? before, Objective after)
    {
        var dto = OkrJsonMapper.ToDto(after);
        if (before is null)
        {
            yield return Make(OkrEventTypes.ObjectiveCreated, new EventDataDto { Objective = dto });
            yield break;
        }

        if (before.State != after.State)
        {
            var type = after.State switch
            {
                ObjectiveState.Active when before.State == ObjectiveState.Closed => OkrEventTypes.ObjectiveReopened,
                ObjectiveState.Active => OkrEventTypes.ObjectiveActivated,
                ObjectiveState.Cancelled => OkrEventTypes.ObjectiveCancelled,
                ObjectiveState.Closed => OkrEventTypes.ObjectiveClosed,
                _ => OkrEventTypes.ObjectiveEdited,
            };
            yield return Make(type, new EventDataDto { Objective = dto, Changes = type == OkrEventTypes.ObjectiveEdited ? ["state"] : null });
            if (after.Grade is { OverriddenBy: not null } && before.Grade != after.Grade)
            {
                yield return Make(OkrEventTypes.GradeOverridden, new EventDataDto { Objective = dto });
            }

            yield break;
        }

        var changes = new List<string>();
        void Note(bool changed, string member)
        {
            if (changed)
            {
                changes.Add(member);
            }
        }

        Note(before.Title != after.Title, "title");
        Note(before.Description != after.Description, "description");
        Note(before.Owner != after.Owner, "owner");
        Note(before.Kind != after.Kind, "kind");
        Note(before.Visibility != after.Visibility, "visibility");
        Note(before.PeriodId != after.PeriodId, "periodId");
        Note(!before.KeyResults.SequenceEqual(after.KeyResults, KeyResultComparer.Instance), "keyResults");
        Note(!before.Alignments.SequenceEqual(after.Alignments), "alignments");
        if (changes.Count > 0)
        {
            yield return Make(OkrEventTypes.ObjectiveEdited, new EventDataDto { Objective = dto, Changes = changes });
        }

        foreach (var removed in before.Alignments.Where(a => !after.Alignments.Contains(a)))
        {
            // A link replaced by one to the same parent (another weight or key result) is an alignment, not an unalignment.
            if (!after.Alignments.Any(a => a.HasSameParentAs(removed)))
            {
                yield return Make(OkrEventTypes.ObjectiveUnaligned, new EventDataDto { Objective = dto, Alignment = Link(removed) });
            }
        }

        foreach (var added in after.Alignments.Where(a => !before.Alignments.Contains(a)))
        {
            yield return Make(OkrEventTypes.ObjectiveAligned, new EventDataDto { Objective = dto, Alignment = Link(added) });
        }

        foreach (var k in before.KeyResults.Where(k => after.FindKeyResult(k.Id) is null))
        {
            yield return Make(OkrEventTypes.KeyResultRemoved, new EventDataDto { Objective = dto, KeyResult = OkrJsonMapper.ToDto(k) });
        }

        foreach (var k in after.KeyResults)
        {
            if (before.FindKeyResult(k.Id) is not { } old)
            {
                yield return Make(OkrEventTypes.KeyResultAdded, new EventDataDto { Objective = dto, KeyResult = OkrJsonMapper.ToDto(k) });
            }
            else if (KeyResultComparer.Changes(old, k) is { Count: > 0 } changed)
            {
                yield return Make(OkrEventTypes.KeyResultChanged, new EventDataDto { Objective = dto, KeyResult = OkrJsonMapper.ToDto(k), Changes = changed });
            }
        }
    }

    /// <summary>The event of one recorded check-in (or correction), with an id derived from the check-in's.</summary>
    public OkrEvent CheckIn(CheckIn checkIn, Objective objective) =>
        Derived(
            checkIn.Corrects is null ? OkrEventTypes.CheckInRecorded : OkrEventTypes.CheckInCorrected,
            checkIn.Id.Value,
            new EventDataDto { CheckIn = OkrJsonMapper.ToDto(checkIn), ObjectiveId = objective.Id, PeriodId = objective.PeriodId });

    /// <summary>
    /// A health change shown by a batch's check-ins of one key result, with an id derived from all of them: the same
    /// batch again gives the same id (and, all stored before, raises nothing), a batch that adds one gives another.
    /// </summary>
    public OkrEvent HealthChanged(IReadOnlyList<CheckIn> shownBy, Objective objective, KeyResultId keyResult, Health.HealthAssessment previous, Health.HealthAssessment current) =>
        Derived(OkrEventTypes.HealthChanged, Combined(shownBy), new EventDataDto
        {
            Objective = OkrJsonMapper.ToDto(objective),
            ObjectiveId = objective.Id,
            PeriodId = objective.PeriodId,
            KeyResultId = keyResult,
            Previous = Health(previous),
            Current = Health(current),
        });

    private static Guid Combined(IReadOnlyList<CheckIn> checkIns)
    {
        if (checkIns.Count == 1)
        {
            return checkIns[0].Id.Value;
        }

        var bytes = new byte[16 * checkIns.Count];
        var i = 0;
        foreach (var id in checkIns.Select(c => c.Id.Value).Order())
        {
            id.TryWriteBytes(bytes.AsSpan(16 * i++));
        }

        return new Guid(SHA256.HashData(bytes).AsSpan(0, 16));
    }

    internal static Guid DerivedId(TenantId tenant, Guid about, string type)
    {
        Span<byte> input = stackalloc byte[32 + 64];
        tenant.Value.TryWriteBytes(input);
        about.TryWriteBytes(input[16..]);
        var length = 32 + Encoding.UTF8.GetBytes(type, input[32..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..length], hash);

        // An RFC 9562 version 8 (custom) UUID: the hash with the version and variant bits set.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    private static HealthDto Health(Health.HealthAssessment a) => new() { Status = a.Status, Progress = a.Progress, ExpectedProgress = a.ExpectedProgress };

    private static AlignmentDto Link(AlignmentLink a) => new() { Objective = a.ParentObjectiveId, KeyResult = a.ParentKeyResultId, Weight = a.Weight, Kind = a.Kind };

    private sealed class KeyResultComparer : IEqualityComparer<KeyResult>
    {
        public static readonly KeyResultComparer Instance = new();

        public static List<string> Changes(KeyResult a, KeyResult b)
        {
            var changes = new List<string>();
            if (a.Title != b.Title)
            {
                changes.Add("title");
            }

            if (!Equals(a.Measure, b.Measure))
            {
                changes.Add("measure");
            }

            if (!a.Weight.Equals(b.Weight))
            {
                changes.Add("weight");
            }

            if (a.Owner != b.Owner)
            {
                changes.Add("owner");
            }

            if (a.ProgressSource != b.ProgressSource)
            {
                changes.Add("progressSource");
            }

            if (a.IsCancelled != b.IsCancelled)
            {
                changes.Add("cancelled");
            }

            return changes;
        }

        public bool Equals(KeyResult? x, KeyResult? y) => x is not null && y is not null && x.Id == y.Id && Changes(x, y).Count == 0;

        public int GetHashCode(KeyResult obj) => obj.Id.GetHashCode();
    }
}
