using NodaTime;

namespace Okr.Core.Storage;

/// <summary>
/// A key result's current state as a store maintains it: the check-in in force at the instant asked for, and when the
/// key result's latest check-in was recorded (whichever value that check-in set, and whenever it was effective).
/// </summary>
/// <param name="KeyResult">The key result.</param>
/// <param name="InForce">The check-in in force (the rule of <see cref="CheckInHistory.AsOf"/>, all check-ins known), or null when none is yet.</param>
/// <param name="LastRecordedAt">The latest <see cref="CheckIn.RecordedAt"/> of all the key result's check-ins, corrections and corrected ones included.</param>
public sealed record KeyResultCurrent(KeyResultId KeyResult, CheckIn? InForce, Instant LastRecordedAt);
