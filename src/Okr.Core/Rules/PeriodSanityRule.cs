namespace Okr.Core.Rules;

/// <summary>
/// Keeps a tenant's calendar sane: no two periods share a name (ignoring case and surrounding spaces), and no two
/// periods of the same kind (<see cref="PeriodKind.Month"/>, <see cref="PeriodKind.Quarter"/>,
/// <see cref="PeriodKind.Year"/>) share a day; custom periods (sprints, cycles) may overlap. With
/// <c>singleActivePerKind</c> (<see cref="OkrRuleOptions.SingleActivePeriodPerKind"/>), at most one period of such a
/// kind is active at a time too. In the default rules; the facade checks it when a period is created, activated or
/// reopened, and the write commits only if the tenant's periods are still the ones it judged.
/// </summary>
/// <param name="singleActivePerKind">Whether two months, quarters or years may not be active at once; false by default.</param>
public sealed class PeriodSanityRule(bool singleActivePerKind = false) : IPeriodRule
{
    /// <summary>Whether two months, quarters or years may not be active at once.</summary>
    public bool SingleActivePerKind { get; } = singleActivePerKind;

    /// <inheritdoc/>
    public IEnumerable<OkrViolation> Check(PeriodChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var after = change.After;
        var kind = after.Kind;
        var name = after.Name.Trim();
        foreach (var other in change.Others)
        {
            if (other.Id == after.Id)
            {
                continue;
            }

            if (string.Equals(other.Name.Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                yield return new OkrViolation(OkrErrorCodes.PeriodDuplicateName, nameof(OkrPeriod.Name), $"Another period is already named '{other.Name}'.");
            }

            if (kind == PeriodKind.Custom || other.Kind != kind)
            {
                continue;
            }

            if (other.Dates.Start <= after.Dates.End && other.Dates.End >= after.Dates.Start)
            {
                yield return new OkrViolation(OkrErrorCodes.PeriodOverlap, nameof(OkrPeriod.Dates), $"{kind} '{after.Name}' ({after.Dates.Start:uuuu-MM-dd} to {after.Dates.End:uuuu-MM-dd}) shares days with {kind.ToString().ToLowerInvariant()} '{other.Name}' ({other.Dates.Start:uuuu-MM-dd} to {other.Dates.End:uuuu-MM-dd}).");
            }

            if (SingleActivePerKind && after.State == PeriodState.Active && other.State == PeriodState.Active)
            {
                yield return new OkrViolation(OkrErrorCodes.PeriodActiveConflict, nameof(OkrPeriod.State), $"{kind} '{other.Name}' is active; close it before '{after.Name}' becomes active.");
            }
        }
    }
}
