namespace Okr.Core;

/// <summary>Where a key result's progress comes from.</summary>
public enum ProgressSource
{
    /// <summary>From check-ins against the key result's <see cref="KeyResult.Measure"/>.</summary>
    Measured = 0,

    /// <summary>From the roll-up of the objectives aligned to this key result; check-ins are not accepted.</summary>
    FromAlignedObjectives = 1,
}
