namespace Okr.Core;

/// <summary>Whether an alignment link counts in the parent's roll-up.</summary>
public enum AlignmentKind
{
    /// <summary>The child's progress counts in the parent's roll-up, with the link's weight.</summary>
    Contributes = 0,

    /// <summary>The link is shown in the alignment tree but not counted.</summary>
    Supports = 1,
}
