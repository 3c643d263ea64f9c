using NodaTime;

namespace Okr.Core.Service;

/// <summary>How <see cref="OkrProgress.ParticipationAsync"/> judges silence and check-in rates.</summary>
public sealed class ParticipationOptions
{
    /// <summary>The defaults: silent after 14 days, a weekly cadence.</summary>
    public static ParticipationOptions Default { get; } = new();

    /// <summary>
    /// How long without a recorded check-in makes an owner who owes check-ins silent; 14 days by default, 1 to 366
    /// days.
    /// </summary>
    public Duration SilentAfter { get; init; } = Duration.FromDays(14);

    /// <summary>
    /// The cadence the check-in rate is measured against: windows of this length from the period's first day; 7 days
    /// (weekly) by default, 1 to 366 days.
    /// </summary>
    public Duration Cadence { get; init; } = Duration.FromDays(7);

    internal void Validate()
    {
        var violations = new ViolationList();
        foreach (var (value, member) in new[] { (SilentAfter, nameof(SilentAfter)), (Cadence, nameof(Cadence)) })
        {
            if (value < Duration.FromDays(1) || value > Duration.FromDays(366))
            {
                violations.Add(OkrErrorCodes.OutOfRange, member, $"{member} must lie between 1 and 366 days; it is {value}.");
            }
        }

        violations.ThrowIfAny();
    }
}
