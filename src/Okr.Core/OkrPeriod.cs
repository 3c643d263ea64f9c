using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;

namespace Okr.Core;

/// <summary>
/// A period: a span of whole days (a quarter, a year or a custom range) in which objectives are pursued.
/// </summary>
/// <remarks>
/// <see cref="Dates"/> is inclusive at both ends, in the ISO calendar, and has no time zone: the
/// organisation's <see cref="DateTimeZone"/> decides when a day begins. The state moves
/// Planning → Active → Closed → Archived; <see cref="Reopen"/> takes a Closed period back to
/// Active and records why.
/// <para>Named <c>OkrPeriod</c> rather than <c>Period</c> so that it never clashes with
/// <see cref="NodaTime.Period"/> in files that import both namespaces.</para>
/// </remarks>
public sealed record OkrPeriod
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Creates a period with any range of dates. See also the quarter and year factories.</summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="name">Not blank, at most <see cref="MaxNameLength"/> characters.</param>
    /// <param name="dates">The inclusive range of dates, in the ISO calendar.</param>
    /// <param name="state">The state; Planning for a new period.</param>
    /// <param name="reopenReason">Why the period was last reopened, if it was.</param>
    /// <param name="updatedBy">Who made this version, when known (the audit trail); null for the system or unknown.</param>
    /// <param name="updatedAt">When this version was written through the facade; null when unknown.</param>
    /// <param name="version">The optimistic-concurrency token a store assigns (0 for a period never stored).</param>
    /// <exception cref="OkrValidationException">An argument is invalid; all problems are reported.</exception>
    public OkrPeriod(PeriodId id, string name, DateInterval dates, PeriodState state = PeriodState.Planning, string? reopenReason = null, OwnerRef? updatedBy = null, Instant? updatedAt = null, long version = 0)
    {
        var violations = new ViolationList();
        violations.NotDefault(id, nameof(Id));
        violations.Text(name, nameof(Name), MaxNameLength);
        if (dates is null)
        {
            violations.Add(OkrErrorCodes.Required, nameof(Dates), "Dates are required.");
        }
        else if (dates.Start.Calendar != CalendarSystem.Iso)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Dates), $"Dates must be in the ISO calendar, not {dates.Start.Calendar.Id}.");
        }
        else if (dates.Start < MinDate || dates.End > MaxDate)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Dates), $"Dates must lie between {MinDate:uuuu-MM-dd} and {MaxDate:uuuu-MM-dd}; they are {dates.Start:uuuu-MM-dd} to {dates.End:uuuu-MM-dd}.");
        }

        if (!Enum.IsDefined(state))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(State), $"State {(int)state} is not defined.");
        }

        if (reopenReason is not null)
        {
            violations.Text(reopenReason, nameof(ReopenReason), 1000, multiLine: true);
        }

        if (updatedBy is { IsEmpty: true })
        {
            violations.Add(OkrErrorCodes.Required, nameof(UpdatedBy), "UpdatedBy, when given, must not be the default reference.");
        }

        if (version < 0)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Version), $"Version must be ≥ 0; it is {version}.");
        }

        violations.ThrowIfAny();
        Id = id;
        Name = name;
        Version = version;
        Dates = dates!;
        State = state;
        ReopenReason = reopenReason;
        UpdatedBy = updatedBy;
        UpdatedAt = updatedAt;
    }

    /// <summary>The first day a period may start on: 1900-01-01. Every store keeps every period in the range.</summary>
    public static LocalDate MinDate { get; } = new(1900, 1, 1);

    /// <summary>The last day a period may end on: 2200-12-31.</summary>
    public static LocalDate MaxDate { get; } = new(2200, 12, 31);

    /// <summary>The identifier.</summary>
    public PeriodId Id { get; }

    /// <summary>The display name, for example <c>2026-Q3</c> or <c>FY2027</c>.</summary>
    public string Name { get; }

    /// <summary>The inclusive range of dates.</summary>
    public DateInterval Dates { get; }

    /// <summary>The state in the life cycle.</summary>
    public PeriodState State { get; }

    /// <summary>Why the period was last reopened; null when it never was.</summary>
    public string? ReopenReason { get; }

    /// <summary>Who made this version, as the facade recorded it; null for the system or unknown.</summary>
    public OwnerRef? UpdatedBy { get; }

    /// <summary>When this version was written through the facade; null when unknown (for example a period built in code).</summary>
    public Instant? UpdatedAt { get; }

    /// <summary>
    /// The optimistic-concurrency token: a store replaces a period only if its stored version is still the one the
    /// writer read, and stores the new one at <c>version + 1</c>. 0 for a period that was never stored.
    /// </summary>
    public long Version { get; }

    /// <summary>
    /// The instants the period spans in a time zone: from the start of its first day to the start of the day after its
    /// last. A day's start is its first instant that exists: a midnight the zone skips (a daylight-saving change at
    /// midnight, as in São Paulo until 2019) resolves to the end of the gap, and a day the zone skips altogether
    /// (Pacific/Apia's 2011-12-30) to the start of the next day. An ambiguous midnight takes its earlier instant.
    /// </summary>
    /// <param name="zone">The organisation's time zone.</param>
    /// <returns>The start (inclusive) and end (exclusive).</returns>
    public (Instant Start, Instant End) InstantsIn(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return (StartOfDay(Dates.Start, zone), StartOfDay(Dates.End.PlusDays(1), zone));
    }

    private static Instant StartOfDay(LocalDate date, DateTimeZone zone) =>
        zone.ResolveLocal(date.AtMidnight(), Resolvers.LenientResolver).ToInstant();

    /// <summary>Returns the same period recording who changed it and when, and nothing else changed.</summary>
    /// <param name="by">Who made the change; null for the system.</param>
    /// <param name="at">When.</param>
    /// <returns>The copy.</returns>
    public OkrPeriod WithChange(OwnerRef? by, Instant at) => new(Id, Name, Dates, State, ReopenReason, by, at, Version);

    /// <summary>Returns the same period with another version; stores call it when they write.</summary>
    /// <param name="version">The version, ≥ 0.</param>
    /// <returns>The copy.</returns>
    public OkrPeriod WithVersion(long version) => new(Id, Name, Dates, State, ReopenReason, UpdatedBy, UpdatedAt, version);

    /// <summary>
    /// What the dates make this period: a <see cref="PeriodKind.Month"/>, <see cref="PeriodKind.Quarter"/> or
    /// <see cref="PeriodKind.Year"/> when it runs over one, three or twelve whole months from the first day of a month
    /// (calendar or fiscal), otherwise <see cref="PeriodKind.Custom"/>.
    /// </summary>
    public PeriodKind Kind
    {
        get
        {
            var (start, end) = (Dates.Start, Dates.End);
            if (start.Day != 1)
            {
                return PeriodKind.Custom;
            }

            var next = end.PlusDays(1);
            return next == start.PlusMonths(12) ? PeriodKind.Year
                : next == start.PlusMonths(3) ? PeriodKind.Quarter
                : next == start.PlusMonths(1) ? PeriodKind.Month
                : PeriodKind.Custom;
        }
    }

    /// <summary>
    /// Whether this period holds <paramref name="other"/>: another period whose days all lie within this one's, and
    /// which is shorter (a year holds its quarters and months; two periods of the same days hold neither the other).
    /// </summary>
    /// <param name="other">The other period.</param>
    /// <returns>True when this period holds it.</returns>
    public bool Holds(OkrPeriod other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Id != Id && other.Dates.Start >= Dates.Start && other.Dates.End <= Dates.End
            && (other.Dates.Start != Dates.Start || other.Dates.End != Dates.End);
    }

    /// <summary>Whether objectives and check-ins in this period may be written (Planning or Active).</summary>
    public bool IsWritable => State is PeriodState.Planning or PeriodState.Active;

    /// <summary>A calendar quarter: Q1 is January–March.</summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="year">The year, 1–9998.</param>
    /// <param name="quarter">The quarter, 1–4.</param>
    /// <returns>A period in the Planning state named like <c>2026-Q1</c>.</returns>
    /// <exception cref="OkrValidationException">The year or quarter is out of range.</exception>
    public static OkrPeriod CalendarQuarter(PeriodId id, int year, int quarter) =>
        Quarter(id, year, quarter, fiscalYearStartMonth: 1, $"{year}-Q{quarter}");

    /// <summary>A calendar year, January to December.</summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="year">The year, 1–9998.</param>
    /// <returns>A period in the Planning state named like <c>2026</c>.</returns>
    /// <exception cref="OkrValidationException">The year is out of range.</exception>
    public static OkrPeriod CalendarYear(PeriodId id, int year) =>
        Year(id, year, fiscalYearStartMonth: 1, year.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A fiscal year that starts on the first day of <paramref name="fiscalYearStartMonth"/>. Fiscal year
    /// <em>N</em> is the one that ends in calendar year <em>N</em>: with an April start, FY2027 runs from
    /// 1 April 2026 to 31 March 2027. With a January start it is the calendar year.
    /// </summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="fiscalYear">The fiscal year, 2–9998.</param>
    /// <param name="fiscalYearStartMonth">The month the fiscal year starts in, 1–12.</param>
    /// <returns>A period in the Planning state named like <c>FY2027</c>.</returns>
    /// <exception cref="OkrValidationException">An argument is out of range.</exception>
    public static OkrPeriod FiscalYear(PeriodId id, int fiscalYear, int fiscalYearStartMonth) =>
        Year(id, fiscalYear, fiscalYearStartMonth, $"FY{fiscalYear}");

    /// <summary>A quarter of a fiscal year (see <see cref="FiscalYear"/> for how fiscal years are named).</summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="fiscalYear">The fiscal year, 2–9998.</param>
    /// <param name="quarter">The fiscal quarter, 1–4; Q1 starts in <paramref name="fiscalYearStartMonth"/>.</param>
    /// <param name="fiscalYearStartMonth">The month the fiscal year starts in, 1–12.</param>
    /// <returns>A period in the Planning state named like <c>FY2027-Q1</c>.</returns>
    /// <exception cref="OkrValidationException">An argument is out of range.</exception>
    public static OkrPeriod FiscalQuarter(PeriodId id, int fiscalYear, int quarter, int fiscalYearStartMonth) =>
        Quarter(id, fiscalYear, quarter, fiscalYearStartMonth, $"FY{fiscalYear}-Q{quarter}");

    /// <summary>A custom range of dates, for example a six-week cycle.</summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="name">The display name.</param>
    /// <param name="start">The first day (inclusive).</param>
    /// <param name="end">The last day (inclusive); not before <paramref name="start"/>.</param>
    /// <returns>A period in the Planning state.</returns>
    /// <exception cref="OkrValidationException">An argument is invalid.</exception>
    public static OkrPeriod Custom(PeriodId id, string name, LocalDate start, LocalDate end)
    {
        if (end < start || start.Calendar != end.Calendar)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.PeriodDatesOutOfOrder, nameof(Dates), $"The end ({end:uuuu-MM-dd}) must not lie before the start ({start:uuuu-MM-dd}), in one calendar.")]);
        }

        return new OkrPeriod(id, name, new DateInterval(start, end));
    }

    /// <summary>Whether a date lies in the period (both ends inclusive).</summary>
    /// <param name="date">The date.</param>
    /// <returns>True when <paramref name="date"/> is between the first and last day.</returns>
    public bool Contains(LocalDate date) => Dates.Contains(date);

    /// <summary>Moves Planning → Active, stamped with the clock's instant (as <see cref="Objective.Activate"/> is).</summary>
    /// <param name="clock">The clock: <see cref="UpdatedAt"/> becomes its instant; <see cref="UpdatedBy"/> is cleared for the caller to set.</param>
    /// <returns>The active period.</returns>
    /// <exception cref="OkrValidationException">The period is not in Planning.</exception>
    public OkrPeriod Activate(IClock clock) => Move(clock, PeriodState.Planning, PeriodState.Active, ReopenReason);

    /// <summary>Moves Active → Closed. Objectives and check-ins become read-only.</summary>
    /// <param name="clock">The clock: <see cref="UpdatedAt"/> becomes its instant.</param>
    /// <returns>The closed period.</returns>
    /// <exception cref="OkrValidationException">The period is not Active.</exception>
    public OkrPeriod Close(IClock clock) => Move(clock, PeriodState.Active, PeriodState.Closed, ReopenReason);

    /// <summary>Moves Closed → Archived, for good.</summary>
    /// <param name="clock">The clock: <see cref="UpdatedAt"/> becomes its instant.</param>
    /// <returns>The archived period.</returns>
    /// <exception cref="OkrValidationException">The period is not Closed.</exception>
    public OkrPeriod Archive(IClock clock) => Move(clock, PeriodState.Closed, PeriodState.Archived, ReopenReason);

    /// <summary>Moves Closed → Active, recording why. Archived periods cannot be reopened.</summary>
    /// <param name="reason">Why the period is reopened; not blank.</param>
    /// <param name="clock">The clock: <see cref="UpdatedAt"/> becomes its instant.</param>
    /// <returns>The active period.</returns>
    /// <exception cref="OkrValidationException">The period is not Closed, or the reason is blank.</exception>
    public OkrPeriod Reopen(string reason, IClock clock)
    {
        var violations = new ViolationList();
        violations.Text(reason, "Reason", 1000, multiLine: true);
        violations.ThrowIfAny();
        return Move(clock, PeriodState.Closed, PeriodState.Active, reason);
    }

    private OkrPeriod Move(IClock clock, PeriodState from, PeriodState to, string? reopenReason)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (State != from)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.IllegalTransition, nameof(State), $"Period '{Name}' cannot move from {State} to {to}; only {from} → {to} is allowed.")]);
        }

        return new OkrPeriod(Id, Name, Dates, to, reopenReason, updatedAt: clock.GetCurrentInstant(), version: Version);
    }

    private static OkrPeriod Year(PeriodId id, int year, int fiscalYearStartMonth, string name)
    {
        var start = FiscalStart(year, fiscalYearStartMonth, null);
        return new OkrPeriod(id, name, new DateInterval(start, start.PlusYears(1).PlusDays(-1)));
    }

    private static OkrPeriod Quarter(PeriodId id, int year, int quarter, int fiscalYearStartMonth, string name)
    {
        var start = FiscalStart(year, fiscalYearStartMonth, quarter).PlusMonths(3 * (quarter - 1));
        return new OkrPeriod(id, name, new DateInterval(start, start.PlusMonths(3).PlusDays(-1)));
    }

    /// <summary>The first day of (fiscal) year <paramref name="year"/>, after checking every argument at once.</summary>
    private static LocalDate FiscalStart(int year, int startMonth, int? quarter)
    {
        var violations = new ViolationList();
        var minYear = startMonth == 1 ? 1 : 2;
        if (year < minYear || year > 9998)
        {
            violations.Add(OkrErrorCodes.OutOfRange, "Year", $"Year must lie between {minYear} and 9998; it is {year}.");
        }

        if (startMonth is < 1 or > 12)
        {
            violations.Add(OkrErrorCodes.OutOfRange, "FiscalYearStartMonth", $"FiscalYearStartMonth must lie between 1 and 12; it is {startMonth}.");
        }

        if (quarter is < 1 or > 4)
        {
            violations.Add(OkrErrorCodes.OutOfRange, "Quarter", $"Quarter must lie between 1 and 4; it is {quarter}.");
        }

        violations.ThrowIfAny();
        return new LocalDate(startMonth == 1 ? year : year - 1, startMonth, 1);
    }
}
