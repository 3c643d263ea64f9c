namespace Okr.Core.Rules;

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
