using NodaTime;
using Okr.Core.Rules;

namespace Okr.Core.Tests.Rules;

/// <summary>The period sanity rule (issue 19, item 6): names, overlaps of one kind, one active period of a kind by option.</summary>
public class PeriodSanityRuleTests
{
    private static readonly OkrPeriod Q1 = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);

    private static IReadOnlyList<OkrViolation> Check(OkrPeriod after, bool singleActive = false, params OkrPeriod[] others) =>
        [.. new PeriodSanityRule(singleActive).Check(new PeriodChange(null, after, others))];

    [Fact]
    public void A_name_used_before_is_refused_ignoring_case_and_surrounding_spaces()
    {
        var sprint = OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), "  sprint 9 ", new LocalDate(2026, 5, 1), new LocalDate(2026, 5, 14));
        var other = OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), "Sprint 9", new LocalDate(2027, 5, 1), new LocalDate(2027, 5, 14));
        var violation = Assert.Single(Check(sprint, false, other));
        Assert.Equal((OkrErrorCodes.PeriodDuplicateName, "Name"), (violation.Code, violation.Member));
    }

    [Fact]
    public void Periods_of_one_kind_may_not_share_a_day_but_other_kinds_and_custom_periods_may()
    {
        // FY2027 Q4 with an April start is January to March 2027: next to Q1 2026, not on it; FY2026 Q4 is on it.
        Assert.Empty(Check(OkrPeriod.FiscalQuarter(new PeriodId(Guid.NewGuid()), 2027, 4, 4), false, Q1));
        var overlap = Assert.Single(Check(OkrPeriod.FiscalQuarter(new PeriodId(Guid.NewGuid()), 2026, 4, 4), false, Q1));
        Assert.Equal((OkrErrorCodes.PeriodOverlap, "Dates"), (overlap.Code, overlap.Member));
        Assert.Contains("2026-01-01 to 2026-03-31", overlap.Message, StringComparison.Ordinal);

        // A year over the quarter, a month inside it and a six-week cycle across it are all fine.
        Assert.Empty(Check(OkrPeriod.CalendarYear(new PeriodId(Guid.NewGuid()), 2026), false, Q1));
        Assert.Empty(Check(OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), "February", new LocalDate(2026, 2, 1), new LocalDate(2026, 2, 28)), false, Q1));
        Assert.Empty(Check(OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), "Cycle", new LocalDate(2026, 3, 2), new LocalDate(2026, 4, 12)), false, Q1));

        // The period itself, as stored, is not another period.
        Assert.Empty(Check(Q1, false, Q1));
    }

    [Fact]
    public void One_active_period_of_a_kind_only_when_asked()
    {
        var clock = new NodaTime.Testing.FakeClock(Instant.FromUtc(2026, 3, 1, 0, 0));
        var active = Q1.Activate(clock);
        var q2 = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 2).Activate(clock);
        Assert.Empty(Check(q2, false, active));
        var conflict = Assert.Single(Check(q2, true, active));
        Assert.Equal((OkrErrorCodes.PeriodActiveConflict, "State"), (conflict.Code, conflict.Member));
        Assert.Empty(Check(q2, true, active.Close(clock)));
        Assert.Empty(Check(OkrPeriod.CalendarYear(new PeriodId(Guid.NewGuid()), 2026).Activate(clock), true, active));
        Assert.True(OkrRules.CreateDefault(new OkrRuleOptions { SingleActivePeriodPerKind = true }).PeriodRules.OfType<PeriodSanityRule>().Single().SingleActivePerKind);
        Assert.False(OkrRules.Default.PeriodRules.OfType<PeriodSanityRule>().Single().SingleActivePerKind);
        Assert.Empty(OkrRules.Default.Without<PeriodSanityRule>().PeriodRules);
    }
}
