namespace Okr.Core.Rules;

/// <summary>A proposed check-in, with the context rules need to judge it.</summary>
public sealed class CheckInChange
{
    /// <summary>Initializes a new instance of the <see cref="CheckInChange"/> class.</summary>
    /// <param name="checkIn">The check-in as it would be appended.</param>
    /// <param name="objective">The objective that holds the key result.</param>
    /// <param name="period">The objective's period.</param>
    /// <param name="corrected">The check-in named by <see cref="CheckIn.Corrects"/>, when it exists; null otherwise.</param>
    /// <param name="zone">The organisation's (or the tenant's) time zone, in which the period's dates are days; UTC when null.</param>
    public CheckInChange(CheckIn checkIn, Objective objective, OkrPeriod period, CheckIn? corrected = null, NodaTime.DateTimeZone? zone = null)
    {
        CheckIn = checkIn;
        Objective = objective;
        Period = period;
        Corrected = corrected;
        Zone = zone ?? NodaTime.DateTimeZone.Utc;
    }

    /// <summary>The time zone in which the period's dates are days.</summary>
    public NodaTime.DateTimeZone Zone { get; }

    /// <summary>The check-in as it would be appended.</summary>
    public CheckIn CheckIn { get; }

    /// <summary>The objective that holds the key result.</summary>
    public Objective Objective { get; }

    /// <summary>The objective's period.</summary>
    public OkrPeriod Period { get; }

    /// <summary>The check-in named by <see cref="CheckIn.Corrects"/>, when it exists; null otherwise.</summary>
    public CheckIn? Corrected { get; }
}
