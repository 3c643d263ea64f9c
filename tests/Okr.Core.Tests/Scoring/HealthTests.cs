using NodaTime;
using Okr.Core.Health;

namespace Okr.Core.Tests.Scoring;

public class HealthTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    // Q1 2026 in Berlin: 90 days.
    private static readonly OkrPeriod Quarter = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1).Activate(TestData.Clock());

    private static Instant Day(double days) => new LocalDate(2026, 1, 1).AtStartOfDayInZone(Berlin).ToInstant() + Duration.FromDays(days);

    private static HealthContext At(double day, double? progress, double? lastCheckInDay = null, double? confidence = null, HealthOverride? over = null) =>
        new(progress, Day(lastCheckInDay ?? day), confidence is { } c ? new Confidence(c) : null, Quarter, Berlin, Day(day), over);

    [Fact]
    public void Expected_progress_is_the_elapsed_share_in_the_organisations_zone()
    {
        // 45 days of a quarter that loses an hour to daylight saving time: just over half.
        Assert.Equal(45.0 / (90 - (1.0 / 24)), PaceHealthPolicy.Default.Assess(At(45, 0.5)).ExpectedProgress, 12);
        Assert.Equal(0, PaceHealthPolicy.ElapsedShare(Quarter, Berlin, Day(-3)));
        Assert.Equal(1, PaceHealthPolicy.ElapsedShare(Quarter, Berlin, Day(200)));

        // Midnight UTC on 1 January is already an hour into the quarter in Berlin, and none of it in New York.
        var utcMidnight = Instant.FromUtc(2026, 1, 1, 0, 0);
        Assert.True(PaceHealthPolicy.ElapsedShare(Quarter, Berlin, utcMidnight) > 0);
        Assert.Equal(0, PaceHealthPolicy.ElapsedShare(Quarter, DateTimeZoneProviders.Tzdb["America/New_York"], utcMidnight));
    }

    [Theory]
    [InlineData(0.50, HealthStatus.OnTrack)]
    [InlineData(0.31, HealthStatus.OnTrack)]    // d = -0.19
    [InlineData(0.29, HealthStatus.AtRisk)]     // d = -0.21
    [InlineData(0.11, HealthStatus.AtRisk)]     // d = -0.39
    [InlineData(0.09, HealthStatus.OffTrack)]   // d = -0.41
    public void Difference_thresholds_point_two_and_point_four(double progress, HealthStatus expected) =>
        Assert.Equal(expected, PaceHealthPolicy.Default.Assess(At(45, progress)).Status);

    [Theory]
    [InlineData(0.34, HealthStatus.OnTrack)]    // d = -0.16
    [InlineData(0.33, HealthStatus.AtRisk)]     // d = -0.17
    [InlineData(0.18, HealthStatus.AtRisk)]     // d = -0.32
    [InlineData(0.16, HealthStatus.OffTrack)]   // d = -0.34
    public void The_other_published_gaps_of_sixteen_and_a_half_and_thirty_three_percent(double progress, HealthStatus expected)
    {
        var policy = new PaceHealthPolicy(new HealthOptions { Thresholds = new DifferenceThresholds(0.165, 0.33) });
        Assert.Equal(expected, policy.Assess(At(45, progress)).Status);
    }

    [Theory]
    [InlineData(0.48, HealthStatus.OnTrack)]    // r = 0.96
    [InlineData(0.47, HealthStatus.AtRisk)]     // r = 0.94
    [InlineData(0.38, HealthStatus.AtRisk)]     // r = 0.76
    [InlineData(0.37, HealthStatus.OffTrack)]   // r = 0.74
    public void Ratio_thresholds_point_nine_five_and_point_seven_five(double progress, HealthStatus expected)
    {
        var policy = new PaceHealthPolicy(new HealthOptions { Thresholds = new RatioThresholds() });
        Assert.Equal(expected, policy.Assess(At(45, progress)).Status);
    }

    [Fact]
    public void Nothing_expected_yet_is_on_track_under_the_ratio() =>
        Assert.Equal(HealthStatus.OnTrack, new PaceHealthPolicy(new HealthOptions { Thresholds = new RatioThresholds() }).Assess(At(-1, 0)).Status);

    [Fact]
    public void Stale_outranks_every_pace_verdict()
    {
        Assert.Equal(HealthStatus.Stale, PaceHealthPolicy.Default.Assess(At(45, 1.0, lastCheckInDay: 31)).Status);
        Assert.Equal(HealthStatus.OnTrack, PaceHealthPolicy.Default.Assess(At(45, 1.0, lastCheckInDay: 31.5)).Status);
        var weekly = new PaceHealthPolicy(new HealthOptions { StaleAfter = Duration.FromDays(7) });
        Assert.Equal(HealthStatus.Stale, weekly.Assess(At(45, 0.0, lastCheckInDay: 38)).Status);
    }

    [Fact]
    public void Never_checked_in_is_no_data_then_stale()
    {
        HealthContext Silent(double day) => new(null, null, null, Quarter, Berlin, Day(day));
        Assert.Equal(HealthStatus.NoData, PaceHealthPolicy.Default.Assess(Silent(10)).Status);
        Assert.Equal(HealthStatus.Stale, PaceHealthPolicy.Default.Assess(Silent(14)).Status);
    }

    [Fact]
    public void Staleness_stops_counting_at_the_end_of_the_period()
    {
        // Last check-in on day 80 of 90; judged on day 200, only 10 quiet days fall inside the period.
        Assert.NotEqual(HealthStatus.Stale, PaceHealthPolicy.Default.Assess(At(200, 1.0, lastCheckInDay: 80)).Status);
    }

    [Fact]
    public void Low_confidence_lowers_on_track_to_at_risk_but_never_raises()
    {
        Assert.Equal(HealthStatus.AtRisk, PaceHealthPolicy.Default.Assess(At(45, 0.6, confidence: 0.3)).Status);
        Assert.Equal(HealthStatus.OnTrack, PaceHealthPolicy.Default.Assess(At(45, 0.6, confidence: 0.5)).Status);
        Assert.Equal(HealthStatus.OffTrack, PaceHealthPolicy.Default.Assess(At(45, 0.0, confidence: 0.9)).Status);
        Assert.Equal(HealthStatus.OffTrack, PaceHealthPolicy.Default.Assess(At(45, 0.0, confidence: 0.1)).Status);
    }

    [Fact]
    public void A_phased_curve_expects_less_early()
    {
        var backLoaded = new PaceHealthPolicy(new HealthOptions { Curve = new PhasedCurve((0.5, 0.2), (0.8, 0.6)) });
        var assessment = backLoaded.Assess(At(45, 0.2));
        Assert.Equal(0.2, assessment.ExpectedProgress, 3);
        Assert.Equal(HealthStatus.OnTrack, assessment.Status);
        Assert.Equal(HealthStatus.AtRisk, PaceHealthPolicy.Default.Assess(At(45, 0.2)).Status);
        Assert.Equal(OkrErrorCodes.PolicyOutOfOrder, Assert.Single(Assert.Throws<OkrValidationException>(() => new PhasedCurve((0.5, 0.6), (0.4, 0.7))).Violations).Code);
    }

    [Fact]
    public void An_override_stands_and_keeps_who_when_and_why()
    {
        var over = new HealthOverride(HealthStatus.OnTrack, TestData.Alice, Day(44), "Big deal signs next week");
        var assessment = PaceHealthPolicy.Default.Assess(At(45, 0.0, over: over));
        Assert.Equal(HealthStatus.OnTrack, assessment.Status);
        Assert.Equal(HealthStatus.OffTrack, assessment.Computed);
        Assert.Equal((TestData.Alice, Day(44), "Big deal signs next week"), (assessment.Override!.By, assessment.Override.At, assessment.Override.Reason));
        Assert.Equal(2, TestData.All(() => new HealthOverride(HealthStatus.AtRisk, default, Day(1), " ")).Count);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<OkrValidationException>(() => new PaceHealthPolicy(new HealthOptions { StaleAfter = Duration.Zero }));
        Assert.Throws<OkrValidationException>(() => new DifferenceThresholds(0.4, 0.2));
        Assert.Throws<OkrValidationException>(() => new RatioThresholds(0.7, 0.9));
    }
}
