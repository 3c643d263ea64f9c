using Okr.Core.Scoring;

namespace Okr.Core.Tests.Scoring;

/// <summary>The published formulas and cases of docs/scoring.md, one by one.</summary>
public class ScoringPolicyTests
{
    private static readonly LinearScoringPolicy Linear = LinearScoringPolicy.Default;

    private static KeyResult Kr(Measure measure) => TestData.Kr("KR", measure);

    private static Score Score(Measure measure, decimal value, IScoringPolicy? policy = null) => (policy ?? Linear).Score(Kr(measure), value);

    [Theory]
    [InlineData(100, 0.0)]
    [InlineData(150, 0.5)]
    [InlineData(200, 1.0)]
    [InlineData(175.5, 0.755)]
    public void Increase_is_the_share_of_the_way_from_baseline_to_target(decimal value, double expected) =>
        Assert.Equal(expected, Score(new IncreaseMeasure(100, 200), value).Raw, 12);

    [Theory]
    [InlineData(30, 0.0)]
    [InlineData(17.5, 0.5)]
    [InlineData(5, 1.0)]
    public void Decrease_is_the_share_of_the_way_down(decimal value, double expected) =>
        Assert.Equal(expected, Score(new DecreaseMeasure(30, 5), value).Raw, 12);

    [Fact]
    public void Pitfall_1_moving_the_wrong_way_is_negative_raw_and_shown_as_zero()
    {
        var up = Score(new IncreaseMeasure(100, 200), 80);
        Assert.Equal(-0.2, up.Raw, 12);
        Assert.Equal(0, up.Progress);

        var down = Score(new DecreaseMeasure(30, 5), 40);
        Assert.Equal(-0.4, down.Raw, 12);
        Assert.Equal(0, down.Progress);
    }

    [Fact]
    public void Pitfall_2_decrease_and_stay_measures_are_not_scored_as_value_over_target()
    {
        // v / t would give 20 / 10 = 2 (or 0.5 the other way round); halfway from 30 to 10 is 0.5.
        Assert.Equal(0.5, Score(new DecreaseMeasure(30, 10), 20).Raw, 12);

        // v / t would give 99.0 / 99.5 ≈ 0.995 for a StayAbove that is breached.
        Assert.Equal(0, Score(new StayAboveMeasure(99.5m), 99.0m).Raw);
        Assert.Equal(1, Score(new StayAboveMeasure(99.5m), 99.5m).Raw);

        // v / t would give 1 / 2 = 0.5 for a StayBelow that is met.
        Assert.Equal(1, Score(new StayBelowMeasure(2), 1).Raw);
        Assert.Equal(0, Score(new StayBelowMeasure(2), 3).Raw);
    }

    [Fact]
    public void Pitfall_3_fractions_are_never_lost()
    {
        var score = Score(new IncreaseMeasure(0, 100, unit: MeasureUnit.Percent), 99.9m);
        Assert.Equal(0.999, score.Progress, 12);
        Assert.Equal(0.5, Score(new IncreaseMeasure(0.1m, 0.3m), 0.2m).Raw, 12);
        Assert.Equal(1, Score(new IncreaseMeasure(1_000_000.01m, 1_000_000.02m), 1_000_000.02m).Raw, 9);
    }

    [Fact]
    public void Pitfall_4_baseline_equal_to_target_cannot_exist_so_nothing_divides_by_zero() =>
        Assert.Equal(OkrErrorCodes.BaselineEqualsTarget, TestData.Single(() => new IncreaseMeasure(5, 5)).Code);

    [Fact]
    public void Negative_baselines_and_targets_are_legal()
    {
        var nps = new IncreaseMeasure(-20, 10);
        Assert.Equal(0.5, Score(nps, -5).Raw, 12);
        Assert.Equal(2.0 / 3, Score(nps, 0).Raw, 12);
    }

    [Fact]
    public void Thresholds_are_inclusive_and_all_or_nothing_by_default()
    {
        Assert.Equal(1, Score(new StayAboveMeasure(0), 0).Raw);
        Assert.Equal(0, Score(new StayAboveMeasure(0), -0.001m).Raw);
        Assert.Equal(1, Score(new StayBelowMeasure(-3), -3).Raw);
    }

    [Fact]
    public void Partial_credit_falls_linearly_back_to_the_line()
    {
        var partial = new LinearScoringPolicy(thresholdCredit: ThresholdCredit.Partial(0.1));
        Assert.Equal(0.5, Score(new StayAboveMeasure(100), 95, partial).Raw, 12);   // 5 short of 100, tolerance 10
        Assert.Equal(0, Score(new StayAboveMeasure(100), 80, partial).Progress);
        Assert.Equal(0.75, Score(new StayBelowMeasure(200), 205, partial).Raw, 12);
        Assert.Equal(0.5, Score(new StayAboveMeasure(0), -0.05m, partial).Raw, 12);  // threshold 0: tolerance is absolute
    }

    [Fact]
    public void Range_scores_one_inside_and_zero_or_partial_outside()
    {
        var band = new WithinRangeMeasure(10, 20);
        Assert.Equal(1, Score(band, 10).Raw);
        Assert.Equal(1, Score(band, 20).Raw);
        Assert.Equal(0, Score(band, 21).Raw);
        var partial = new LinearScoringPolicy(thresholdCredit: ThresholdCredit.Partial(0.5));
        Assert.Equal(0.6, Score(band, 22, partial).Raw, 12);  // 2 outside, tolerance 0.5 × width 10 = 5
        Assert.Equal(0.8, Score(band, 9, partial).Raw, 12);
    }

    [Fact]
    public void Milestone_is_one_when_done()
    {
        Assert.Equal(1, Score(new MilestoneMeasure(), 1).Progress);
        Assert.Equal(0, Score(new MilestoneMeasure(), 0).Progress);
    }

    [Fact]
    public void Progress_is_clamped_to_one_unless_overachievement_is_shown()
    {
        var increase = new IncreaseMeasure(0, 100);
        Assert.Equal((1.5, 1.0), (Score(increase, 150).Raw, Score(increase, 150).Progress));
        var capped = new LinearScoringPolicy(overachievementCap: 1.25);
        Assert.Equal(1.2, Score(increase, 120, capped).Progress, 12);
        Assert.Equal(1.25, Score(increase, 150, capped).Progress, 12);
        Assert.Throws<OkrValidationException>(() => new LinearScoringPolicy(overachievementCap: 0.9));
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(15, 0.15)]
    [InlineData(30, 0.3)]
    [InlineData(50, 0.5)]
    [InlineData(70, 0.7)]
    [InlineData(85, 0.85)]
    [InlineData(100, 1.0)]
    [InlineData(110, 1.0)]
    public void Stepped_zones_on_default_staged_levels(decimal value, double expected) =>
        Assert.Equal(expected, Score(StagedMeasure.FromStretch(0, 100), value, SteppedScoringPolicy.Default).Progress, 12);

    [Theory]
    [InlineData(10, 0.15)]   // halfway through baseline..commit (0..20)
    [InlineData(20, 0.3)]
    [InlineData(40, 0.5)]    // halfway through commit..target (20..60)
    [InlineData(60, 0.7)]
    [InlineData(80, 0.85)]   // halfway through target..stretch (60..100)
    public void Stepped_zones_are_linear_inside_each_zone_with_custom_levels(decimal value, double expected) =>
        Assert.Equal(expected, Score(new StagedMeasure(0, 20, 60, 100), value, SteppedScoringPolicy.Default).Progress, 12);

    [Fact]
    public void Stepped_zones_work_downwards()
    {
        var staged = StagedMeasure.FromStretch(50, 10);   // commit 38, target 22
        Assert.Equal(0.3, Score(staged, 38, SteppedScoringPolicy.Default).Progress, 12);
        Assert.Equal(0.7, Score(staged, 22, SteppedScoringPolicy.Default).Progress, 12);
    }

    [Fact]
    public void Stepped_increase_with_stretch_puts_the_target_at_point_seven()
    {
        var m = new IncreaseMeasure(0, 100, 150);
        Assert.Equal(0.7, Score(m, 100, SteppedScoringPolicy.Default).Progress, 12);
        Assert.Equal(0.85, Score(m, 125, SteppedScoringPolicy.Default).Progress, 12);
        Assert.Equal(1.0, Score(new IncreaseMeasure(0, 100), 100, SteppedScoringPolicy.Default).Progress, 12);
    }

    [Fact]
    public void Linear_scores_a_staged_measure_to_its_stretch() =>
        Assert.Equal(0.5, Score(new StagedMeasure(0, 20, 60, 100), 50).Progress, 12);

    [Theory]
    [InlineData(0, 0.0, GradeBand.Red)]
    [InlineData(34, 0.3, GradeBand.Red)]
    [InlineData(35, 0.4, GradeBand.Yellow)]
    [InlineData(64, 0.6, GradeBand.Yellow)]
    [InlineData(65, 0.7, GradeBand.Green)]
    [InlineData(100, 1.0, GradeBand.Green)]
    [InlineData(130, 1.0, GradeBand.Green)]
    [InlineData(-10, 0.0, GradeBand.Red)]
    public void Google_grading_rounds_to_tenths_in_three_bands(decimal value, double grade, GradeBand band)
    {
        var score = Score(new IncreaseMeasure(0, 100), value, GoogleGradingPolicy.Instance);
        Assert.Equal(grade, score.Progress);
        Assert.Equal(band, score.Band);
    }

    [Fact]
    public void Pitfall_5_every_policy_puts_a_progress_in_the_same_band()
    {
        var staged = StagedMeasure.FromStretch(0, 100);
        foreach (var value in new[] { 0m, 29m, 30m, 34m, 35m, 50m, 64m, 65m, 70m, 99m, 100m })
        {
            var bands = new IScoringPolicy[] { LinearScoringPolicy.Default, SteppedScoringPolicy.Default, GoogleGradingPolicy.Instance }
                .Select(p => p.Score(Kr(staged), value))
                .Select(s => (s.Band, Expected: GradeBands.Of(s.Progress)));
            Assert.All(bands, b => Assert.Equal(b.Expected, b.Band));
        }

        // On default staged levels linear and stepped agree exactly, so the zones are the same everywhere.
        Assert.Equal(Score(staged, 64).Progress, Score(staged, 64, SteppedScoringPolicy.Default).Progress, 12);
    }

    [Theory]
    [InlineData(0.0, GradeBand.Red)]
    [InlineData(0.34, GradeBand.Red)]
    [InlineData(0.35, GradeBand.Yellow)]
    [InlineData(0.649, GradeBand.Yellow)]
    [InlineData(0.65, GradeBand.Green)]
    [InlineData(1.25, GradeBand.Green)]
    [InlineData(double.NaN, GradeBand.Red)]
    public void Bands_round_to_tenths_first(double progress, GradeBand band) => Assert.Equal(band, GradeBands.Of(progress));

    [Fact]
    public void Stepped_levels_are_validated() =>
        Assert.Equal(OkrErrorCodes.PolicyOutOfOrder, Assert.Single(Assert.Throws<OkrValidationException>(() => new SteppedScoringPolicy(0.7, 0.3)).Violations).Code);

    [Fact]
    public void Scores_reject_non_finite_values() =>
        Assert.Equal(2, TestData.All(() => new Score(double.NaN, -1)).Count);
}
