namespace Okr.Core.Service;

/// <summary>What became of a <see cref="MetricReading"/> (<see cref="MetricRecordResult.Outcome"/>).</summary>
public enum MetricRecordOutcome
{
    /// <summary>Recorded as a new check-in.</summary>
    Recorded = 0,

    /// <summary>Recorded before (the same source, key and instant): nothing was written; the stored check-in is returned.</summary>
    Duplicate = 1,

    /// <summary>Not after the newest reading this source recorded for the key result: nothing was written, so an older reading never replaces a newer one.</summary>
    Older = 2,
}
