using System.Collections.Immutable;
using NodaTime;
using NodaTime.Text;

namespace Okr.Core;

/// <summary>
/// When check-ins are due: every week on a weekday, every N weeks, every month on a day, or on named dates, with grace
/// days. Set on a tenant, an owner, an objective or a key result, and inherited down the alignment tree
/// (<see cref="Service.OkrCheckIns.DueAsync"/>, docs/cadence.md).
/// </summary>
/// <remarks>
/// <para>A due date is a day in the organisation's time zone, inside the period. A check-in recorded on or after the
/// start of the day <see cref="GraceDays"/> days before a due date counts for it (an early check-in is fine); one owed
/// becomes overdue at the start of the day <see cref="GraceDays"/> days after its due date.</para>
/// <para>Values are compared by what they say: the same kind, weekday, weeks, day of month, dates and grace.</para>
/// </remarks>
public sealed class CheckInCadence : IEquatable<CheckInCadence>
{
    /// <summary>The most grace days a cadence may have.</summary>
    public const int MaxGraceDays = 31;

    /// <summary>The most weeks between check-ins of <see cref="EveryWeeks"/>.</summary>
    public const int MaxWeeks = 26;

    /// <summary>The most dates of <see cref="OnDates"/>.</summary>
    public const int MaxDates = 366;

    private readonly ImmutableArray<LocalDate> _dates;

    private CheckInCadence(CadenceKind kind, IsoDayOfWeek day, int weeks, int dayOfMonth, ImmutableArray<LocalDate> dates, int graceDays)
    {
        var violations = new ViolationList();
        if (graceDays is < 0 or > MaxGraceDays)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(GraceDays), $"GraceDays must be between 0 and {MaxGraceDays}; it is {graceDays}.");
        }

        if (kind is CadenceKind.Weekly or CadenceKind.EveryWeeks && day is < IsoDayOfWeek.Monday or > IsoDayOfWeek.Sunday)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Day), $"Day must be a weekday from Monday to Sunday; it is {(int)day}.");
        }

        if (weeks is < 1 or > MaxWeeks)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Weeks), $"Weeks must be between 1 and {MaxWeeks}; it is {weeks}.");
        }

        if (kind == CadenceKind.Monthly && dayOfMonth is < 1 or > 31)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(DayOfMonth), $"DayOfMonth must be between 1 and 31; it is {dayOfMonth}.");
        }

        if (kind == CadenceKind.Dates && (dates.IsEmpty || dates.Length > MaxDates))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Dates), $"A cadence on dates names 1 to {MaxDates} dates; it names {dates.Length}.");
        }

        violations.ThrowIfAny();
        Kind = kind;
        Day = kind is CadenceKind.Weekly or CadenceKind.EveryWeeks ? day : default;
        Weeks = weeks;
        DayOfMonth = kind == CadenceKind.Monthly ? dayOfMonth : 0;
        _dates = dates;
        GraceDays = graceDays;
    }

    /// <summary>How the due dates are laid out.</summary>
    public CadenceKind Kind { get; }

    /// <summary>The weekday of <see cref="CadenceKind.Weekly"/> and <see cref="CadenceKind.EveryWeeks"/>; none otherwise.</summary>
    public IsoDayOfWeek Day { get; }

    /// <summary>Weeks between due dates: 1 for weekly, N for <see cref="CadenceKind.EveryWeeks"/>, 1 otherwise.</summary>
    public int Weeks { get; }

    /// <summary>The day of the month of <see cref="CadenceKind.Monthly"/> (the month's last day when it is shorter); 0 otherwise.</summary>
    public int DayOfMonth { get; }

    /// <summary>The named dates of <see cref="CadenceKind.Dates"/>, in order, without repeats; empty otherwise.</summary>
    public IReadOnlyList<LocalDate> Dates => _dates;

    /// <summary>Days before a due date from which a check-in counts for it, and after it until it is overdue (0..<see cref="MaxGraceDays"/>).</summary>
    public int GraceDays { get; }

    /// <summary>A check-in every week on a weekday.</summary>
    /// <param name="day">The weekday; Monday by default.</param>
    /// <param name="graceDays">Grace days (0..<see cref="MaxGraceDays"/>).</param>
    /// <returns>The cadence.</returns>
    /// <exception cref="OkrValidationException">An argument is out of range.</exception>
    public static CheckInCadence Weekly(IsoDayOfWeek day = IsoDayOfWeek.Monday, int graceDays = 0) =>
        new(CadenceKind.Weekly, day, 1, 0, [], graceDays);

    /// <summary>A check-in every <paramref name="weeks"/> weeks on a weekday, from the first such weekday of the period.</summary>
    /// <param name="weeks">Weeks between check-ins (1..<see cref="MaxWeeks"/>).</param>
    /// <param name="day">The weekday; Monday by default.</param>
    /// <param name="graceDays">Grace days (0..<see cref="MaxGraceDays"/>).</param>
    /// <returns>The cadence.</returns>
    /// <exception cref="OkrValidationException">An argument is out of range.</exception>
    public static CheckInCadence EveryWeeks(int weeks, IsoDayOfWeek day = IsoDayOfWeek.Monday, int graceDays = 0) =>
        new(CadenceKind.EveryWeeks, day, weeks, 0, [], graceDays);

    /// <summary>A check-in every month on a day of the month (the month's last day when the month is shorter).</summary>
    /// <param name="dayOfMonth">The day (1..31); the first by default.</param>
    /// <param name="graceDays">Grace days (0..<see cref="MaxGraceDays"/>).</param>
    /// <returns>The cadence.</returns>
    /// <exception cref="OkrValidationException">An argument is out of range.</exception>
    public static CheckInCadence Monthly(int dayOfMonth = 1, int graceDays = 0) =>
        new(CadenceKind.Monthly, default, 1, dayOfMonth, [], graceDays);

    /// <summary>Check-ins due on named dates (repeats ignored); those outside a period do not count in it.</summary>
    /// <param name="dates">1..<see cref="MaxDates"/> dates.</param>
    /// <param name="graceDays">Grace days (0..<see cref="MaxGraceDays"/>).</param>
    /// <returns>The cadence.</returns>
    /// <exception cref="OkrValidationException">No dates or too many, or the grace is out of range.</exception>
    public static CheckInCadence OnDates(IEnumerable<LocalDate> dates, int graceDays = 0)
    {
        ArgumentNullException.ThrowIfNull(dates);
        return new(CadenceKind.Dates, default, 1, 0, [.. dates.Distinct().Order()], graceDays);
    }

    /// <summary>The due dates inside a period's days, in order.</summary>
    /// <param name="period">The period's days.</param>
    /// <returns>The dates.</returns>
    public IEnumerable<LocalDate> DueDates(DateInterval period)
    {
        ArgumentNullException.ThrowIfNull(period);
        switch (Kind)
        {
            case CadenceKind.Weekly or CadenceKind.EveryWeeks:
                var first = period.Start.DayOfWeek == Day ? period.Start : period.Start.Next(Day);
                for (var d = first; d <= period.End; d = d.PlusWeeks(Weeks))
                {
                    yield return d;
                }

                break;
            case CadenceKind.Monthly:
                for (var month = new YearMonth(period.Start.Year, period.Start.Month); month.OnDayOfMonth(1) <= period.End; month = month.PlusMonths(1))
                {
                    var d = month.OnDayOfMonth(Math.Min(DayOfMonth, month.Calendar.GetDaysInMonth(month.Year, month.Month)));
                    if (period.Contains(d))
                    {
                        yield return d;
                    }
                }

                break;
            default:
                foreach (var d in _dates.Where(period.Contains))
                {
                    yield return d;
                }

                break;
        }
    }

    /// <inheritdoc/>
    public bool Equals(CheckInCadence? other) =>
        other is not null
        && Kind == other.Kind && Day == other.Day && Weeks == other.Weeks && DayOfMonth == other.DayOfMonth && GraceDays == other.GraceDays
        && _dates.SequenceEqual(other._dates);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CheckInCadence);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Day, Weeks, DayOfMonth, GraceDays, _dates.Length);

    /// <summary>The cadence in words: "weekly on Monday, 2 grace days".</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var what = Kind switch
        {
            CadenceKind.Weekly => $"weekly on {Day}",
            CadenceKind.EveryWeeks => $"every {Weeks} weeks on {Day}",
            CadenceKind.Monthly => $"monthly on day {DayOfMonth}",
            _ => $"on {string.Join(", ", _dates.Select(d => LocalDatePattern.Iso.Format(d)))}",
        };
        return GraceDays == 0 ? what : $"{what}, {GraceDays} grace day{(GraceDays == 1 ? string.Empty : "s")}";
    }
}
