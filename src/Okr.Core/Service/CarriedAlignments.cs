namespace Okr.Core.Service;

/// <summary>What <see cref="OkrPeriods.CarryOverAsync"/> does with the alignment links of the objectives it copies.</summary>
public enum CarriedAlignments
{
    /// <summary>
    /// The default. A link whose parent is carried too (in the same call or before) points to the parent's copy (and
    /// to the copy of the parent's key result); a link whose parent's period contains the target period stays on that
    /// parent (an annual objective over the quarters); any other link is dropped.
    /// </summary>
    Repoint = 1,

    /// <summary>Links stay on their parents where the parent's period contains the target period; the rest are dropped.</summary>
    Keep = 2,

    /// <summary>The copies have no links.</summary>
    Drop = 3,
}
