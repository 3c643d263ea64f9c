using NodaTime;
using Okr.Core.Rules;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Rules;

/// <summary>A check-in falls in its period, in the organisation's time zone, with a grace window after the end.</summary>
public class CheckInWindowRuleTests
{
    private static readonly OkrPeriod Q1 = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);

    private static IReadOnlyList<OkrViolation> Check(Instant effectiveAt, Duration? grace = null, string zone = "UTC")
    {
        var clock = TestData.Clock();
        var objective = TestData.Draft(clock, 3, Q1.Id).Activate(clock);
        var checkIn = new CheckIn(new CheckInId(Guid.NewGuid()), objective.KeyResults[0].Id, 10, TestData.Alice, effectiveAt, Instant.FromUtc(2028, 1, 1, 0, 0));
        var rules = OkrRules.CreateDefault(new OkrRuleOptions { CheckInGraceAfterEnd = grace ?? Duration.FromDays(14) });
        return [.. rules.Check(new CheckInChange(checkIn, objective, Q1, zone: DateTimeZoneProviders.Tzdb[zone])).Where(v => v.Code == OkrErrorCodes.CheckInOutsidePeriod)];
    }

    [Fact]
    public void From_the_first_day_to_the_last_plus_14_days_of_grace_by_default()
    {
        Assert.Equal(14, new OkrRuleOptions().CheckInGraceAfterEnd.Days);
        Assert.Empty(Check(Instant.FromUtc(2026, 1, 1, 0, 0)));
        Assert.Empty(Check(Instant.FromUtc(2026, 4, 14, 23, 59)));
        var early = Assert.Single(Check(Instant.FromUtc(2025, 12, 31, 23, 59)));
        Assert.Equal(nameof(CheckIn.EffectiveAt), early.Member);
        Assert.Single(Check(Instant.FromUtc(2026, 4, 15, 0, 0)));
        Assert.Single(Check(Instant.FromUtc(2025, 1, 5, 9, 0)));   // a year before its period
    }

    [Fact]
    public void The_grace_is_configurable_from_0_to_366_days()
    {
        Assert.Single(Check(Instant.FromUtc(2026, 4, 1, 0, 0), Duration.Zero));
        Assert.Empty(Check(Instant.FromUtc(2026, 3, 31, 23, 59), Duration.Zero));
        Assert.Empty(Check(Instant.FromUtc(2027, 3, 31, 0, 0), Duration.FromDays(366)));
        Assert.Equal(nameof(OkrRuleOptions.CheckInGraceAfterEnd), TestData.Single(() => OkrRules.CreateDefault(new OkrRuleOptions { CheckInGraceAfterEnd = Duration.FromDays(367) })).Member);
        Assert.Equal(nameof(OkrRuleOptions.CheckInGraceAfterEnd), TestData.Single(() => new CheckInWindowRule(-Duration.Epsilon)).Member);
    }

    [Fact]
    public void The_periods_days_are_the_organisations()
    {
        // 00:30 on New Year's Day in Berlin is 23:30 the evening before in UTC: in the quarter for Berlin, not for UTC.
        var berlinNewYear = Instant.FromUtc(2025, 12, 31, 23, 30);
        Assert.Empty(Check(berlinNewYear, zone: "Europe/Berlin"));
        Assert.Single(Check(berlinNewYear, zone: "UTC"));
    }

    [Fact]
    public async Task The_facade_refuses_a_check_in_a_year_before_its_period_and_writes_nothing()
    {
        var clock = TestData.Clock();
        var store = new InMemoryOkrStore();
        var okr = new OkrService(store, clock);
        var tenant = new TenantId(Guid.NewGuid());
        var period = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var objective = await okr.Objectives.CreateAsync(tenant, TestData.Draft(clock, 3, period.Id));
        await okr.Objectives.ActivateAsync(tenant, objective.Id);

        var refused = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[0].Id, 10, TestData.Alice, effectiveAt: TestData.Start - Duration.FromDays(365)));
        Assert.Equal((OkrErrorCodes.CheckInOutsidePeriod, "[0].EffectiveAt"), (Assert.Single(refused.Violations).Code, refused.Violations[0].Member));
        Assert.Empty(await okr.CheckIns.HistoryAsync(tenant, objective.KeyResults[0].Id));
    }
}
