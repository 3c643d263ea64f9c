using NodaTime;

namespace Okr.Core.Service;

/// <summary>
/// A check-in someone owes (<see cref="OkrCheckIns.DueAsync"/>): on which key result, by which cadence, since which due
/// date, and how overdue.
/// </summary>
public sealed class DueCheckIn
{
    internal DueCheckIn(Guid id, Objective objective, KeyResult keyResult, EffectiveCadence cadence, LocalDate since, Instant dueAt, Instant overdueAt, Instant at, int missed, Instant? lastRecordedAt)
    {
        Id = id;
        Objective = objective;
        KeyResult = keyResult;
        Cadence = cadence;
        Since = since;
        DueAt = dueAt;
        OverdueAt = overdueAt;
        OverdueBy = at > overdueAt ? at - overdueAt : Duration.Zero;
        Missed = missed;
        LastRecordedAt = lastRecordedAt;
    }

    /// <summary>
    /// The same for the same tenant, key result and <see cref="Since"/>, on every run and every instance: a reminder
    /// sender keeps the ids it sent and sends each once.
    /// </summary>
    public Guid Id { get; }

    /// <summary>The objective that holds the key result.</summary>
    public Objective Objective { get; }

    /// <summary>The key result.</summary>
    public KeyResult KeyResult { get; }

    /// <summary>Who owes it: the key result's owner, or its objective's.</summary>
    public OwnerRef Owner => KeyResult.Owner ?? Objective.Owner;

    /// <summary>The cadence it follows, and where that was set.</summary>
    public EffectiveCadence Cadence { get; }

    /// <summary>The first due date missed: owed since then (the organisation's time zone).</summary>
    public LocalDate Since { get; }

    /// <summary>The start of <see cref="Since"/> in the organisation's time zone.</summary>
    public Instant DueAt { get; }

    /// <summary>When it became or becomes overdue: the start of the day the grace days after <see cref="Since"/>.</summary>
    public Instant OverdueAt { get; }

    /// <summary>How long past <see cref="OverdueAt"/> at the instant asked about; zero while within the grace days.</summary>
    public Duration OverdueBy { get; }

    /// <summary>Whether the grace days after <see cref="Since"/> have passed.</summary>
    public bool IsOverdue => OverdueBy > Duration.Zero;

    /// <summary>How many due dates passed without a check-in, <see cref="Since"/> included (≥ 1).</summary>
    public int Missed { get; }

    /// <summary>When the key result's latest check-in was recorded, if it has one.</summary>
    public Instant? LastRecordedAt { get; }
}
