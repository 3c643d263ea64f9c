namespace Okr.Core.Service;

/// <summary>What happened to one alignment link when its objective was carried over.</summary>
public enum CarriedLinkOutcome
{
    /// <summary>The copy links to the copy of the parent (and of its key result).</summary>
    Repointed = 1,

    /// <summary>The copy links to the same parent, whose period contains the target period.</summary>
    Kept = 2,

    /// <summary>The copy does not have the link.</summary>
    Dropped = 3,
}
