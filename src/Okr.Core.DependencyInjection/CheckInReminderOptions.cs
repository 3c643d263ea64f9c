using NodaTime;

namespace Okr.Core.DependencyInjection;

/// <summary>When the hosted check-in reminder job (<see cref="OkrBuilder.AddCheckInReminders{TReminder}"/>) runs.</summary>
public sealed record CheckInReminderOptions
{
    /// <summary>The time of day, in each tenant's own time zone, from which that day's reminders go out; 09:00 by default.</summary>
    public LocalTime At { get; init; } = new(9, 0);

    /// <summary>How often the job looks whether a tenant's time has come (more than zero, at most a day); a minute by default.</summary>
    public Duration PollInterval { get; init; } = Duration.FromMinutes(1);

    /// <summary>Checks the options.</summary>
    /// <exception cref="OkrValidationException">The poll interval is not more than zero or is longer than a day.</exception>
    public void Validate()
    {
        if (PollInterval <= Duration.Zero || PollInterval > Duration.FromDays(1))
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.OutOfRange, nameof(PollInterval), $"PollInterval must be more than zero and at most a day; it is {PollInterval}.")]);
        }
    }
}
