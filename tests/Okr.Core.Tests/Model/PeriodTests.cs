using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;

namespace Okr.Core.Tests.Model;

public class PeriodTests
{
    private static readonly PeriodId Id = new(Guid.Parse("0192f0a1-2b3c-7d4e-8f50-6172839405a6"));

    [Theory]
    [InlineData(1, "2026-01-01", "2026-03-31")]
    [InlineData(2, "2026-04-01", "2026-06-30")]
    [InlineData(3, "2026-07-01", "2026-09-30")]
    [InlineData(4, "2026-10-01", "2026-12-31")]
    public void Calendar_quarters(int quarter, string start, string end)
    {
        var q = OkrPeriod.CalendarQuarter(Id, 2026, quarter);
        Assert.Equal($"2026-Q{quarter}", q.Name);
        Assert.Equal((LocalDatePattern.Iso.Parse(start).Value, LocalDatePattern.Iso.Parse(end).Value), (q.Dates.Start, q.Dates.End));
        Assert.Equal(PeriodState.Planning, q.State);
    }

    [Fact]
    public void Leap_year_february_is_inside_q1()
    {
        var q1 = OkrPeriod.CalendarQuarter(Id, 2028, 1);
        Assert.Equal(91, q1.Dates.Length);
        Assert.True(q1.Contains(new LocalDate(2028, 2, 29)));
    }

    [Fact]
    public void Fiscal_year_is_named_after_the_calendar_year_it_ends_in()
    {
        var fy = OkrPeriod.FiscalYear(Id, 2027, fiscalYearStartMonth: 4);
        Assert.Equal("FY2027", fy.Name);
        Assert.Equal(new LocalDate(2026, 4, 1), fy.Dates.Start);
        Assert.Equal(new LocalDate(2027, 3, 31), fy.Dates.End);
    }

    [Fact]
    public void Fiscal_quarter_four_of_an_october_year()
    {
        var q4 = OkrPeriod.FiscalQuarter(Id, 2026, 4, fiscalYearStartMonth: 10);
        Assert.Equal("FY2026-Q4", q4.Name);
        Assert.Equal(new LocalDate(2026, 7, 1), q4.Dates.Start);
        Assert.Equal(new LocalDate(2026, 9, 30), q4.Dates.End);
    }

    [Fact]
    public void January_fiscal_year_is_the_calendar_year() =>
        Assert.Equal(OkrPeriod.CalendarYear(Id, 2026).Dates, OkrPeriod.FiscalYear(Id, 2026, 1).Dates);

    [Fact]
    public void Bad_factory_arguments_are_reported_together()
    {
        var violations = TestData.All(() => OkrPeriod.FiscalQuarter(Id, 0, 5, 13));
        Assert.Equal(["Year", "FiscalYearStartMonth", "Quarter"], violations.Select(v => v.Member));
    }

    [Fact]
    public void Custom_range_may_not_end_before_it_starts() =>
        Assert.Equal(OkrErrorCodes.PeriodDatesOutOfOrder, TestData.Single(() => OkrPeriod.Custom(Id, "Sprint", new LocalDate(2026, 2, 1), new LocalDate(2026, 1, 31))).Code);

    [Fact]
    public void Custom_range_of_one_day_is_fine() =>
        Assert.Equal(1, OkrPeriod.Custom(Id, "Hack day", new LocalDate(2026, 2, 1), new LocalDate(2026, 2, 1)).Dates.Length);

    [Fact]
    public void Non_iso_calendars_are_rejected() =>
        Assert.Equal(nameof(OkrPeriod.Dates), TestData.Single(() => new OkrPeriod(Id, "Hijri", new DateInterval(new LocalDate(1447, 1, 1, CalendarSystem.IslamicBcl), new LocalDate(1447, 3, 1, CalendarSystem.IslamicBcl)))).Member);

    [Fact]
    public void Life_cycle_moves_forward_through_every_legal_transition()
    {
        var clock = TestData.Clock();
        var p = OkrPeriod.CalendarQuarter(Id, 2026, 1);
        Assert.True(p.IsWritable);
        p = p.Activate(clock);
        Assert.Equal((PeriodState.Active, clock.GetCurrentInstant()), (p.State, p.UpdatedAt));
        clock.Advance(Duration.FromDays(90));
        p = p.Close(clock);
        Assert.False(p.IsWritable);
        Assert.Equal(clock.GetCurrentInstant(), p.UpdatedAt);
        p = p.Reopen("Late sales figures arrived", clock);
        Assert.Equal((PeriodState.Active, "Late sales figures arrived"), (p.State, p.ReopenReason));
        clock.Advance(Duration.FromDays(1));
        p = p.Close(clock).Archive(clock);
        Assert.Equal((PeriodState.Archived, clock.GetCurrentInstant(), (OwnerRef?)null), (p.State, p.UpdatedAt, p.UpdatedBy));
        Assert.False(p.IsWritable);
    }

    public static TheoryData<PeriodState, string> IllegalMoves => new()
    {
        { PeriodState.Planning, "close" }, { PeriodState.Planning, "archive" }, { PeriodState.Planning, "reopen" },
        { PeriodState.Active, "activate" }, { PeriodState.Active, "archive" }, { PeriodState.Active, "reopen" },
        { PeriodState.Closed, "activate" }, { PeriodState.Closed, "close" },
        { PeriodState.Archived, "activate" }, { PeriodState.Archived, "close" }, { PeriodState.Archived, "archive" }, { PeriodState.Archived, "reopen" },
    };

    [Theory]
    [MemberData(nameof(IllegalMoves))]
    public void Illegal_transitions_are_rejected(PeriodState state, string move)
    {
        var p = new OkrPeriod(Id, "Q", new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)), state);
        var clock = TestData.Clock();
        Func<OkrPeriod> act = move switch
        {
            "activate" => () => p.Activate(clock),
            "close" => () => p.Close(clock),
            "archive" => () => p.Archive(clock),
            _ => () => p.Reopen("because", clock),
        };
        Assert.Equal(OkrErrorCodes.IllegalTransition, TestData.Single(() => act()).Code);
        Assert.Equal(state, p.State);
    }

    [Fact]
    public void Reopen_needs_a_reason()
    {
        var clock = TestData.Clock();
        var closed = OkrPeriod.CalendarQuarter(Id, 2026, 1).Activate(clock).Close(clock);
        Assert.Equal(OkrErrorCodes.Required, TestData.Single(() => closed.Reopen(" ", clock)).Code);
    }

    /// <summary>The four quarters of any (fiscal) year tile it: contiguous, no gaps, no overlaps.</summary>
    [Property]
    public Property Quarters_tile_their_year() =>
        Prop.ForAll(
            Gen.Choose(1901, 2199).Zip(Gen.Choose(1, 12)).ToArbitrary(),   // fiscal years named by their end reach a year back
            input =>
            {
                var (year, startMonth) = input;
                var fy = OkrPeriod.FiscalYear(Id, year, startMonth);
                var quarters = Enumerable.Range(1, 4).Select(q => OkrPeriod.FiscalQuarter(Id, year, q, startMonth).Dates).ToList();
                var contiguous = quarters.Zip(quarters.Skip(1)).All(p => p.First.End.PlusDays(1) == p.Second.Start);
                return contiguous
                    && quarters[0].Start == fy.Dates.Start
                    && quarters[3].End == fy.Dates.End
                    && quarters.Sum(q => q.Length) == fy.Dates.Length
                    && fy.Dates.Length is 365 or 366;
            });
}
