namespace Okr.Core.Rules;

/// <summary>A rule that judges a period before it is created, activated or reopened, against the tenant's other periods.</summary>
public interface IPeriodRule
{
    /// <summary>Returns every violation of this rule by the change; nothing when it is fine.</summary>
    /// <param name="change">The period as it would be stored, with the tenant's other periods.</param>
    /// <returns>The violations, with members relative to the period.</returns>
    IEnumerable<OkrViolation> Check(PeriodChange change);
}
