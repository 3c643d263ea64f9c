namespace Okr.Core.Storage;

/// <summary>An objective write in an <see cref="OkrChangeSet"/>.</summary>
public sealed class ObjectiveWrite
{
    internal ObjectiveWrite(Objective objective, long expectedVersion)
    {
        Objective = objective;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The objective.</summary>
    public Objective Objective { get; }

    /// <summary>The version it replaces; 0 creates it (or replaces one an import stored at 0).</summary>
    public long ExpectedVersion { get; }
}
