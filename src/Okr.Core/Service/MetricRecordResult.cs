namespace Okr.Core.Service;

/// <summary>The result of <see cref="OkrCheckIns.RecordFromSourceAsync"/>.</summary>
public sealed class MetricRecordResult
{
    internal MetricRecordResult(MetricRecordOutcome outcome, CheckIn? checkIn)
    {
        Outcome = outcome;
        CheckIn = checkIn;
    }

    /// <summary>Recorded, a duplicate, or older than what the source recorded before.</summary>
    public MetricRecordOutcome Outcome { get; }

    /// <summary>The check-in recorded, or the one stored for a duplicate; null for an older reading.</summary>
    public CheckIn? CheckIn { get; }
}
