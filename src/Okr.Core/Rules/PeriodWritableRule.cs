namespace Okr.Core.Rules;

/// <summary>
/// Nothing is written into a Closed or Archived period, and an objective or check-in is judged
/// against its own period. Reopen the period (with a reason) to change it.
/// </summary>
public sealed class PeriodWritableRule : IObjectiveRule, ICheckInRule
{
    /// <inheritdoc/>
    public IEnumerable<OkrViolation> Check(ObjectiveChange change)
    {
        ArgumentNullException.ThrowIfNull(change);

        // A draft left in a closed period may still be cancelled: it was never graded, and cancelling it changes no figure.
        if (change.Before is { State: ObjectiveState.Draft } before && change.After.State == ObjectiveState.Cancelled && before.PeriodId == change.After.PeriodId && change.Period.Id == before.PeriodId)
        {
            return [];
        }

        return Check(change.After.PeriodId, change.Period, nameof(Objective.PeriodId));
    }

    /// <inheritdoc/>
    public IEnumerable<OkrViolation> Check(CheckInChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Check(change.Objective.PeriodId, change.Period, nameof(CheckIn.KeyResultId));
    }

    private static IEnumerable<OkrViolation> Check(PeriodId periodId, OkrPeriod period, string member)
    {
        if (periodId != period.Id)
        {
            yield return new OkrViolation(OkrErrorCodes.Mismatch, member, $"The objective belongs to period {periodId}, not to '{period.Name}' ({period.Id}).");
        }
        else if (!period.IsWritable)
        {
            yield return new OkrViolation(OkrErrorCodes.PeriodClosed, member, $"Period '{period.Name}' is {period.State} and read-only; reopen it with a reason to change it.");
        }
    }
}
