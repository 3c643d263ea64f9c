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
