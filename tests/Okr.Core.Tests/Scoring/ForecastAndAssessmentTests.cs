using NodaTime;
using Okr.Core.Scoring;

namespace Okr.Core.Tests.Scoring;

public class ForecastAndAssessmentTests
{
    private static readonly DateTimeZone Utc = DateTimeZone.Utc;
    private static readonly OkrPeriod Quarter = OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), "100 days", new LocalDate(2026, 1, 1), new LocalDate(2026, 4, 10));
    private static readonly KeyResult Kr = new(new KeyResultId(Guid.NewGuid()), "Signups", new IncreaseMeasure(0, 1000));

    private static Instant Day(double day) => Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromDays(day);

    private static CheckIn At(double day, decimal value, CheckInId? corrects = null) =>
        new(new CheckInId(Guid.NewGuid()), Kr.Id, value, TestData.Alice, Day(day), Day(day) + Duration.FromHours(1), corrects: corrects);

    [Fact]
    public void Forecast_projects_the_least_squares_line_to_the_end_of_the_period()
    {
        var forecast = Forecaster.Project(Kr, [At(0, 0), At(10, 100), At(20, 200), At(30, 300)], Quarter, Utc, LinearScoringPolicy.Default);
        Assert.True(forecast.IsSufficient);
        Assert.Equal(4, forecast.Points);
        Assert.Equal(Day(100), forecast.At);
        Assert.Equal(10, forecast.SlopePerDay!.Value, 9);
        Assert.Equal(1000, (double)forecast.ProjectedValue!.Value, 6);
        Assert.Equal(1.0, forecast.ProjectedScore!.Value.Progress, 6);
    }

    [Fact]
    public void Forecast_fits_noisy_data_by_least_squares()
    {
        // Points (0,1) (1,3) (2,2): slope 0.5, intercept 1.5.
        var forecast = Forecaster.Project(Kr, [At(0, 1), At(1, 3), At(2, 2)], Quarter, Utc, LinearScoringPolicy.Default);
        Assert.Equal(0.5, forecast.SlopePerDay!.Value, 9);
        Assert.Equal(1.5 + (0.5 * 100), (double)forecast.ProjectedValue!.Value, 6);
    }

    [Fact]
    public void Forecast_uses_corrections_not_what_they_corrected()
    {
        var wrong = At(10, 9000);
        var forecast = Forecaster.Project(Kr, [At(0, 0), wrong, At(10, 100, wrong.Id)], Quarter, Utc, LinearScoringPolicy.Default);
        Assert.Equal(2, forecast.Points);
        Assert.Equal(10, forecast.SlopePerDay!.Value, 9);
    }

    [Fact]
    public void Forecast_is_flagged_insufficient_with_too_little_data()
    {
        Assert.False(Forecaster.Project(Kr, [], Quarter, Utc, LinearScoringPolicy.Default).IsSufficient);
        var one = Forecaster.Project(Kr, [At(3, 50)], Quarter, Utc, LinearScoringPolicy.Default);
        Assert.False(one.IsSufficient);
        Assert.Null(one.ProjectedValue);
        var noSpread = Forecaster.Project(Kr, [At(3, 50), At(3, 60)], Quarter, Utc, LinearScoringPolicy.Default);
        Assert.False(noSpread.IsSufficient);
        Assert.Equal(2, noSpread.Points);
        var milestone = new KeyResult(Kr.Id, "Ship", new MilestoneMeasure());
        Assert.False(Forecaster.Project(milestone, [At(1, 0), At(2, 0), At(3, 1)], Quarter, Utc, LinearScoringPolicy.Default).IsSufficient);
    }

    [Fact]
    public void Forecast_ignores_other_key_results_check_ins()
    {
        var other = new CheckIn(new CheckInId(Guid.NewGuid()), new KeyResultId(Guid.NewGuid()), 5, TestData.Alice, Day(5), Day(5));
        Assert.Equal(2, Forecaster.Project(Kr, [At(0, 0), At(10, 100), other], Quarter, Utc, LinearScoringPolicy.Default).Points);
    }

    private static ObjectiveAssessment Assess(ObjectiveKind kind, decimal value)
    {
        var clock = TestData.Clock();
        var kr = TestData.Kr("KR", new IncreaseMeasure(0, 100));
        var objective = Objective.Create(new ObjectiveId(Guid.NewGuid()), new PeriodId(Guid.NewGuid()), "O", TestData.Alice, clock, kind, keyResults: [kr]);
        return new OkrAssessor().Assess(OkrScoring.Default.Evaluate(objective, _ => value));
    }

    [Theory]
    [InlineData(ObjectiveKind.Committed, 100, true)]
    [InlineData(ObjectiveKind.Committed, 95, false)]
    [InlineData(ObjectiveKind.Aspirational, 70, true)]
    [InlineData(ObjectiveKind.Aspirational, 65, false)]
    public void Committed_objectives_are_expected_at_one_and_aspirational_at_point_seven(ObjectiveKind kind, decimal value, bool met)
    {
        var assessment = Assess(kind, value);
        Assert.Equal(met, assessment.Met);
        Assert.Equal(kind == ObjectiveKind.Committed ? 1.0 : 0.7, assessment.Expected);
    }

    [Fact]
    public void An_overridden_grade_keeps_the_computed_one_and_decides_met()
    {
        var missed = Assess(ObjectiveKind.Committed, 80);
        var excused = missed.OverrideGrade(1.0, OwnerRef.Person("manager"), "Target moved by the board in week 3");
        Assert.False(missed.Met);
        Assert.True(excused.Met);
        Assert.Equal(0.8, excused.Grade.Computed, 12);
        Assert.Equal(GradeBand.Green, excused.Band);
        Assert.Throws<OkrValidationException>(() => missed.OverrideGrade(1.0, OwnerRef.Person("manager"), ""));
    }

    [Fact]
    public void No_data_at_close_grades_as_zero_and_cancelled_key_results_are_not_graded()
    {
        var clock = TestData.Clock();
        var (silent, cancelled) = (TestData.Kr("Silent"), TestData.Kr("Dropped").Cancel());
        var objective = Objective.Create(new ObjectiveId(Guid.NewGuid()), new PeriodId(Guid.NewGuid()), "O", TestData.Alice, clock, keyResults: [silent, cancelled]);
        var assessment = new OkrAssessor(new OkrScoring(rollup: new WeightedMeanRollup(NoDataRule.LeaveOut))).Assess(OkrScoring.Default.Evaluate(objective, _ => null));
        Assert.Equal(0, assessment.Grade.Value);
        Assert.Equal([0.0, null], assessment.KeyResults.Select(k => k.Grade));
    }

    [Fact]
    public void A_closed_objective_carries_the_grade_that_stands()
    {
        var clock = TestData.Clock();
        var assessment = Assess(ObjectiveKind.Aspirational, 60).OverrideGrade(0.7, OwnerRef.Person("manager"), "Partner delay");
        var closed = assessment.Objective.Activate(clock).Close(assessment.Grade, clock);
        Assert.Equal(0.7, closed.Grade!.Value);
        Assert.Equal(0.6, closed.Grade.Computed, 12);
    }

    [Fact]
    public void Period_grade_uses_the_grades_that_stand_of_top_level_objectives()
    {
        var a = Assess(ObjectiveKind.Aspirational, 40);
        var b = Assess(ObjectiveKind.Aspirational, 80).OverrideGrade(1.0, TestData.Alice, "Exceptional quarter");
        var period = new OkrAssessor().AssessPeriod([a, b]);
        Assert.Equal(0.7, period.Score!.Value, 12);
        Assert.Equal(2, period.Objectives.Count);
    }
}
