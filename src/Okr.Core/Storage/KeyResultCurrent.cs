using NodaTime;

namespace Okr.Core.Storage;

/// <summary>
/// A key result's current state as a store maintains it: the check-in in force at the instant asked for, and when the
/// key result's latest check-in was recorded (whichever value that check-in set, and whenever it was effective).
/// </summary>
public sealed class KeyResultCurrent
{
    /// <summary>Initializes a new instance of the <see cref="KeyResultCurrent"/> class.</summary>
    /// <param name="keyResult">The key result.</param>
    /// <param name="inForce">The check-in in force (the rule of <see cref="CheckInHistory.AsOf"/>, all check-ins known), or null when none is yet.</param>
    /// <param name="lastRecordedAt">The latest <see cref="CheckIn.RecordedAt"/> of all the key result's check-ins, corrections and corrected ones included.</param>
    public KeyResultCurrent(KeyResultId keyResult, CheckIn? inForce, Instant lastRecordedAt)
    {
        KeyResult = keyResult;
        InForce = inForce;
        LastRecordedAt = lastRecordedAt;
    }

    /// <summary>The key result.</summary>
    public KeyResultId KeyResult { get; }

    /// <summary>The check-in in force (the rule of <see cref="CheckInHistory.AsOf"/>, all check-ins known), or null when none is yet.</summary>
    public CheckIn? InForce { get; }

    /// <summary>The latest <see cref="CheckIn.RecordedAt"/> of all the key result's check-ins, corrections and corrected ones included.</summary>
    public Instant LastRecordedAt { get; }
}
