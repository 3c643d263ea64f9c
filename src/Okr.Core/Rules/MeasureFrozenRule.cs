namespace Okr.Core.Rules;

/// <summary>Once a key result has a check-in, its measure type and progress source can no longer change (targets may), and an ordinal measure keeps at least as many levels.</summary>
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

            if (before.Measure is OrdinalMeasure levelsBefore && after.Measure is OrdinalMeasure levelsAfter && levelsAfter.Levels.Count < levelsBefore.Levels.Count)
            {
                yield return new OkrViolation(OkrErrorCodes.MeasureFrozen, $"KeyResults[{i}].Measure", $"Key result '{after.Title}' has check-ins that choose among {levelsBefore.Levels.Count} levels, so it cannot drop to {levelsAfter.Levels.Count}; levels may be renamed, rescored or added.");
            }

            if (before.ProgressSource != after.ProgressSource)
            {
                yield return new OkrViolation(OkrErrorCodes.MeasureFrozen, $"KeyResults[{i}].ProgressSource", $"Key result '{after.Title}' has check-ins, so its progress source cannot change.");
            }
        }
    }
}
