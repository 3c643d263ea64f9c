namespace Okr.Core;

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
