namespace Okr.Core.Rules;

/// <summary>A rule that judges writes of objectives.</summary>
public interface IObjectiveRule
{
    /// <summary>Returns every violation of this rule by the change; nothing when it is fine.</summary>
    /// <param name="change">The proposed change.</param>
    /// <returns>The violations, with members relative to the objective (for example <c>KeyResults[1].Title</c>).</returns>
    IEnumerable<OkrViolation> Check(ObjectiveChange change);
}
