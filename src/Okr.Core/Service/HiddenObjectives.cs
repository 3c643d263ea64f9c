namespace Okr.Core.Service;

/// <summary>How an acting person's roll-ups treat objectives they may not read (<see cref="OkrServiceOptions.HiddenInRollups"/>).</summary>
public enum HiddenObjectives
{
    /// <summary>Counted in every parent's progress and the period score, never shown, not even as a figure of their own.</summary>
    Counted = 0,

    /// <summary>Left out: progress and the period score are recomputed from what the person can read.</summary>
    Excluded = 1,
}
