namespace Okr.Core.Storage;

/// <summary>A period write in an <see cref="OkrChangeSet"/>.</summary>
public sealed class PeriodWrite
{
    internal PeriodWrite(OkrPeriod period, long expectedVersion)
    {
        Period = period;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The period.</summary>
    public OkrPeriod Period { get; }

    /// <summary>The version it replaces; 0 creates it.</summary>
    public long ExpectedVersion { get; }
}
