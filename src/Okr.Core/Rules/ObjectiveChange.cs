namespace Okr.Core.Rules;

/// <summary>A proposed write of an objective, with the context rules need to judge it.</summary>
/// <param name="Before">The stored objective, or null when it is being created.</param>
/// <param name="After">The objective as it would be written.</param>
/// <param name="Period">The period <paramref name="After"/> belongs to.</param>
/// <param name="KeyResultsWithCheckIns">The key results of the objective that already have at least one check-in.</param>
public sealed record ObjectiveChange(Objective? Before, Objective After, OkrPeriod Period, IReadOnlySet<KeyResultId> KeyResultsWithCheckIns)
{
    /// <summary>Whether this change moves the objective into the Active state.</summary>
    public bool IsActivation => After.State == ObjectiveState.Active && Before?.State != ObjectiveState.Active;
}
