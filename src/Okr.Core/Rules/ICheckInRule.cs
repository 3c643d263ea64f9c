namespace Okr.Core.Rules;

/// <summary>A rule that judges check-ins before they are appended.</summary>
public interface ICheckInRule
{
    /// <summary>Returns every violation of this rule by the check-in; nothing when it is fine.</summary>
    /// <param name="change">The proposed check-in with its context.</param>
    /// <returns>The violations, with members relative to the check-in.</returns>
    IEnumerable<OkrViolation> Check(CheckInChange change);
}
