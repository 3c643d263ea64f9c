namespace Okr.Core;

/// <summary>How an objective is meant to be judged.</summary>
public enum ObjectiveKind
{
    /// <summary>A stretch goal: an average grade of 0.6–0.7 is a success.</summary>
    Aspirational = 0,

    /// <summary>A promise: anything below 1.0 is a miss to be explained.</summary>
    Committed = 1,
}

/// <summary>The life cycle of an <see cref="Objective"/>: Draft → Active → Closed, or Draft/Active → Cancelled.</summary>
public enum ObjectiveState
{
    /// <summary>Being written; key results may come and go.</summary>
    Draft = 0,

    /// <summary>Being pursued; check-ins are recorded.</summary>
    Active = 1,

    /// <summary>Finished and graded; read-only.</summary>
    Closed = 2,

    /// <summary>Abandoned; kept for the record, left out of every roll-up, read-only.</summary>
    Cancelled = 3,
}

/// <summary>Who may see an objective. The host enforces it through its access policy.</summary>
public enum Visibility
{
    /// <summary>Everyone in the tenant: the transparency OKRs are known for.</summary>
    Public = 0,

    /// <summary>The owner's team.</summary>
    Team = 1,

    /// <summary>The owner only.</summary>
    Private = 2,
}

/// <summary>Whether an alignment link counts in the parent's roll-up.</summary>
public enum AlignmentKind
{
    /// <summary>The child's progress counts in the parent's roll-up, with the link's weight.</summary>
    Contributes = 0,

    /// <summary>The link is shown in the alignment tree but not counted.</summary>
    Supports = 1,
}
