using NodaTime;

namespace Okr.Core.Rules;

/// <summary>
/// A check-in is effective within its period: from the start of its first day to the end of its last day, in the
/// organisation's time zone, plus a grace window after the end for the final values people record in the days after a
/// quarter ends (<see cref="OkrRuleOptions.CheckInGraceAfterEnd"/>). Anything else is
/// <see cref="OkrErrorCodes.CheckInOutsidePeriod"/>: a value effective a year before its period is a mistake, not data.
/// </summary>
public sealed class CheckInWindowRule : ICheckInRule
{
    private readonly Duration _graceAfterEnd;

    /// <summary>Initializes a new instance of the <see cref="CheckInWindowRule"/> class.</summary>
    /// <param name="graceAfterEnd">How long after the period's last day a check-in may still be effective; between 0 and 366 days.</param>
    /// <exception cref="OkrValidationException">The grace is negative or longer than 366 days.</exception>
    public CheckInWindowRule(Duration graceAfterEnd)
    {
        new OkrRuleOptions { CheckInGraceAfterEnd = graceAfterEnd }.Validate();
        _graceAfterEnd = graceAfterEnd;
    }

    /// <inheritdoc/>
    public IEnumerable<OkrViolation> Check(CheckInChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (start, after) = change.Period.InstantsIn(change.Zone);
        var end = after + _graceAfterEnd;
        var at = change.CheckIn.EffectiveAt;
        if (at < start || at >= end)
        {
            yield return new OkrViolation(
                OkrErrorCodes.CheckInOutsidePeriod,
                nameof(CheckIn.EffectiveAt),
                $"The check-in is effective at {at}, outside period '{change.Period.Name}' ({change.Period.Dates.Start:uuuu-MM-dd} to {change.Period.Dates.End:uuuu-MM-dd} in {change.Zone.Id}, with {_graceAfterEnd.Days} days of grace after its end).");
        }
    }
}
