namespace Okr.Core.Rules;

/// <summary>
/// An objective is activated with between <see cref="OkrRuleOptions.MinKeyResults"/> and
/// <see cref="OkrRuleOptions.MaxKeyResults"/> key results (cancelled ones not counted), and an
/// active objective never grows beyond the maximum.
/// </summary>
/// <param name="min">The fewest key results on activation.</param>
/// <param name="max">The most key results while active.</param>
public sealed class KeyResultCountRule(int min, int max) : IObjectiveRule
{
    /// <inheritdoc/>
    public IEnumerable<OkrViolation> Check(ObjectiveChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.After.State != ObjectiveState.Active)
        {
            yield break;
        }

        var count = change.After.KeyResults.Count(k => !k.IsCancelled);
        var before = change.Before?.KeyResults.Count(k => !k.IsCancelled) ?? 0;
        if (change.IsActivation ? count < min || count > max : count > max && count > before)
        {
            yield return new OkrViolation(
                OkrErrorCodes.KeyResultCount,
                nameof(Objective.KeyResults),
                $"An active objective needs {min} to {max} key results; '{change.After.Title}' would have {count}.");
        }
    }
}

/// <summary>Titles of objectives and key results stay within the configured lengths.</summary>
/// <param name="maxObjectiveTitle">The longest objective title.</param>
/// <param name="maxKeyResultTitle">The longest key result title.</param>
public sealed class TitleLengthRule(int maxObjectiveTitle, int maxKeyResultTitle) : IObjectiveRule
{
    /// <inheritdoc/>
    public IEnumerable<OkrViolation> Check(ObjectiveChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.After.Title.Length > maxObjectiveTitle)
        {
            yield return new OkrViolation(OkrErrorCodes.TooLong, nameof(Objective.Title), $"Title has {change.After.Title.Length} characters; at most {maxObjectiveTitle} are allowed.");
        }

        for (var i = 0; i < change.After.KeyResults.Count; i++)
        {
            var title = change.After.KeyResults[i].Title;
            if (title.Length > maxKeyResultTitle)
            {
                yield return new OkrViolation(OkrErrorCodes.TooLong, $"KeyResults[{i}].Title", $"Title has {title.Length} characters; at most {maxKeyResultTitle} are allowed.");
            }
        }
    }
}

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

/// <summary>Once a key result has a check-in, its measure type and progress source can no longer change (targets may).</summary>
public sealed class MeasureFrozenRule : IObjectiveRule
{
    /// <inheritdoc/>
    public IEnumerable<OkrViolation> Check(ObjectiveChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Before is null)
        {
            yield break;
        }

        for (var i = 0; i < change.After.KeyResults.Count; i++)
        {
            var after = change.After.KeyResults[i];
            var before = change.Before.FindKeyResult(after.Id);
            if (before is null || !change.KeyResultsWithCheckIns.Contains(after.Id))
            {
                continue;
            }

            if (before.Measure.Kind != after.Measure.Kind)
            {
                yield return new OkrViolation(OkrErrorCodes.MeasureFrozen, $"KeyResults[{i}].Measure", $"Key result '{after.Title}' has check-ins, so its measure type cannot change from {before.Measure.Kind} to {after.Measure.Kind}.");
            }

            if (before.ProgressSource != after.ProgressSource)
            {
                yield return new OkrViolation(OkrErrorCodes.MeasureFrozen, $"KeyResults[{i}].ProgressSource", $"Key result '{after.Title}' has check-ins, so its progress source cannot change.");
            }
        }
    }
}

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
            yield return new OkrViolation(OkrErrorCodes.InvalidValue, nameof(CheckIn.Value), $"{kr.Measure.Kind} key result '{kr.Title}' cannot take the value {checkIn.Value}.");
        }

        if (checkIn.Corrects is { } corrects && (change.Corrected is null || change.Corrected.Id != corrects || change.Corrected.KeyResultId != checkIn.KeyResultId))
        {
            yield return new OkrViolation(OkrErrorCodes.Mismatch, nameof(CheckIn.Corrects), $"The corrected check-in {corrects} does not exist for key result '{kr.Title}'.");
        }
    }
}
