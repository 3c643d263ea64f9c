namespace Okr.Core.Storage;

/// <summary>A period write in an <see cref="OkrChangeSet"/>.</summary>
/// <param name="Period">The period.</param>
/// <param name="ExpectedVersion">The version it replaces; 0 creates it.</param>
public readonly record struct PeriodWrite(OkrPeriod Period, long ExpectedVersion);
