namespace Okr.Core.Rules;

/// <summary>
/// A check-in targets an existing, measured, not cancelled key result of an active objective,
/// with a value its measure accepts; a correction names an existing check-in of the same key result.
/// </summary>
public sealed class CheckInTargetRule : ICheckInRule
{
    /// <inheritdoc/>
    public IEnumerable<OkrViolation> Check(CheckInChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var checkIn = change.CheckIn;
        var kr = change.Objective.FindKeyResult(checkIn.KeyResultId);
        if (kr is null)
        {
            yield return new OkrViolation(OkrErrorCodes.Mismatch, nameof(CheckIn.KeyResultId), $"Objective '{change.Objective.Title}' has no key result {checkIn.KeyResultId}.");
            yield break;
        }

        if (change.Objective.State != ObjectiveState.Active)
        {
            yield return new OkrViolation(OkrErrorCodes.ReadOnlyState, nameof(CheckIn.KeyResultId), $"Check-ins are recorded on active objectives; '{change.Objective.Title}' is {change.Objective.State}.");
        }

        if (kr.IsCancelled)
        {
            yield return new OkrViolation(OkrErrorCodes.ReadOnlyState, nameof(CheckIn.KeyResultId), $"Key result '{kr.Title}' is cancelled.");
        }

        if (kr.ProgressSource != ProgressSource.Measured)
        {
            yield return new OkrViolation(OkrErrorCodes.NotMeasured, nameof(CheckIn.KeyResultId), $"Key result '{kr.Title}' takes its progress from aligned objectives and accepts no check-ins.");
        }

        if (!kr.Measure.Accepts(checkIn.Value))
        {
            yield return new OkrViolation(
                OkrErrorCodes.InvalidValue,
                nameof(CheckIn.Value),
                kr.Measure is OrdinalMeasure ordinal
                    ? $"Ordinal key result '{kr.Title}' takes a level's position ({ordinal.Describe()}), not {checkIn.Value}."
                    : $"{kr.Measure.Kind} key result '{kr.Title}' cannot take the value {checkIn.Value}.");
        }

        if (checkIn.Corrects is { } corrects && (change.Corrected is null || change.Corrected.Id != corrects || change.Corrected.KeyResultId != checkIn.KeyResultId))
        {
            yield return new OkrViolation(OkrErrorCodes.Mismatch, nameof(CheckIn.Corrects), $"The corrected check-in {corrects} does not exist for key result '{kr.Title}'.");
        }
    }
}
