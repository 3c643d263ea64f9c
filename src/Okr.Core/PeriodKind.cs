namespace Okr.Core;

/// <summary>
/// What a period's dates make it (<see cref="OkrPeriod.Kind"/>): a month, a quarter or a year starting on the first day
/// of any month (calendar or fiscal), or anything else. Not stored: it follows from the dates alone.
/// </summary>
public enum PeriodKind
{
    /// <summary>Any other span of days, such as a six-week cycle.</summary>
    Custom = 1,

    /// <summary>One whole month, from its first day to its last.</summary>
    Month = 2,

    /// <summary>Three whole months, from the first day of a month: a calendar or fiscal quarter.</summary>
    Quarter = 3,

    /// <summary>Twelve whole months, from the first day of a month: a calendar or fiscal year.</summary>
    Year = 4,
}
