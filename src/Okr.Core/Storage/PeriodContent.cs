namespace Okr.Core.Storage;

/// <summary>How many objectives and check-ins a period holds (see <see cref="OkrChangeSet.ExpectContent"/>).</summary>
/// <param name="Objectives">Objectives of the period, in any state.</param>
/// <param name="CheckIns">Check-ins (corrections included) of the key results those objectives hold.</param>
public readonly record struct PeriodContent(long Objectives, long CheckIns);
