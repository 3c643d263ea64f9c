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

/// <summary>A proposed check-in, with the context rules need to judge it.</summary>
/// <param name="CheckIn">The check-in as it would be appended.</param>
/// <param name="Objective">The objective that holds the key result.</param>
/// <param name="Period">The objective's period.</param>
/// <param name="Corrected">The check-in named by <see cref="CheckIn.Corrects"/>, when it exists; null otherwise.</param>
public sealed record CheckInChange(CheckIn CheckIn, Objective Objective, OkrPeriod Period, CheckIn? Corrected = null);

/// <summary>A rule that judges writes of objectives.</summary>
public interface IObjectiveRule
{
    /// <summary>Returns every violation of this rule by the change; nothing when it is fine.</summary>
    /// <param name="change">The proposed change.</param>
    /// <returns>The violations, with members relative to the objective (for example <c>KeyResults[1].Title</c>).</returns>
    IEnumerable<OkrViolation> Check(ObjectiveChange change);
}

/// <summary>A rule that judges check-ins before they are appended.</summary>
public interface ICheckInRule
{
    /// <summary>Returns every violation of this rule by the check-in; nothing when it is fine.</summary>
    /// <param name="change">The proposed check-in with its context.</param>
    /// <returns>The violations, with members relative to the check-in.</returns>
    IEnumerable<OkrViolation> Check(CheckInChange change);
}
