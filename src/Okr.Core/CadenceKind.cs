namespace Okr.Core;

/// <summary>How a <see cref="CheckInCadence"/> lays out its due dates.</summary>
public enum CadenceKind
{
    /// <summary>Every week on a weekday (<see cref="CheckInCadence.Weekly"/>).</summary>
    Weekly = 1,

    /// <summary>Every N weeks on a weekday, counted from the first such weekday of the period (<see cref="CheckInCadence.EveryWeeks"/>).</summary>
    EveryWeeks = 2,

    /// <summary>Every month on a day of the month, the month's last day when it is shorter (<see cref="CheckInCadence.Monthly"/>).</summary>
    Monthly = 3,

    /// <summary>On dates the host names (<see cref="CheckInCadence.OnDates"/>).</summary>
    Dates = 4,
}
