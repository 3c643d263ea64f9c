namespace Okr.Core;

/// <summary>The life cycle of an <see cref="OkrPeriod"/>.</summary>
public enum PeriodState
{
    /// <summary>Objectives are being drafted.</summary>
    Planning = 0,

    /// <summary>The period is under way: check-ins are recorded.</summary>
    Active = 1,

    /// <summary>The period is over and graded; read-only unless explicitly reopened with a reason.</summary>
    Closed = 2,

    /// <summary>Kept for the record only; read-only for good.</summary>
    Archived = 3,
}
