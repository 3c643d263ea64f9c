using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Okr.Core.Health;
using Okr.Core.Scoring;
using Okr.Testing;

namespace Okr.Core.Tests.Scoring;

public class ScoringProperties
{
    private static readonly Gen<IScoringPolicy> Policies = Gen.Elements<IScoringPolicy>(
        LinearScoringPolicy.Default,
        new LinearScoringPolicy(1.25, ThresholdCredit.Partial(0.2)),
        SteppedScoringPolicy.Default,
        new SteppedScoringPolicy(0.2, 0.6, ThresholdCredit.Partial(1)),
        GoogleGradingPolicy.Instance);

    private static readonly Gen<decimal> Values = Gen.OneOf(OkrGen.Amount, Gen.Elements(-Measure.MaxMagnitude, Measure.MaxMagnitude, 0m, 1m));

    /// <summary>Shown progress always lies within [0, 1], or [0, cap] when the policy shows overachievement.</summary>
    [Property(MaxTest = 500)]
    public Property Progress_is_within_bounds() =>
        Prop.ForAll(OkrGen.KeyResult.Zip(Values).Zip(Policies).ToArbitrary(), input =>
        {
            var ((kr, value), policy) = input;
            var score = policy.Score(kr, value);
            var cap = policy is LinearScoringPolicy linear ? linear.OverachievementCap : 1.0;
            return double.IsFinite(score.Raw) && score.Progress >= 0 && score.Progress <= cap && score.Band == GradeBands.Of(score.Progress);
        });

    /// <summary>Increase scores never fall as the value rises; Decrease scores never rise.</summary>
    [Property(MaxTest = 500)]
    public Property Increase_is_monotone_non_decreasing_and_decrease_non_increasing() =>
        Prop.ForAll(OkrGen.Measure.Where(m => m is IncreaseMeasure or DecreaseMeasure or StagedMeasure).Zip(Values.Two()).Zip(Policies).ToArbitrary(), input =>
        {
            var ((measure, (a, b)), policy) = input;
            var (low, high) = a <= b ? (a, b) : (b, a);
            var kr = TestData.Kr("KR", measure);
            var (sLow, sHigh) = (policy.Score(kr, low), policy.Score(kr, high));
            var rising = measure is IncreaseMeasure || measure is StagedMeasure { IsIncreasing: true };
            return rising
                ? sLow.Raw <= sHigh.Raw && sLow.Progress <= sHigh.Progress
                : sLow.Raw >= sHigh.Raw && sLow.Progress >= sHigh.Progress;
        });

    private static readonly Gen<List<RollupItem>> Items =
        (from progress in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(0, 1000).Select(i => (double?)(i / 1000.0)))
         from weight in Gen.Elements(0.0, 0.5, 1.0, 2.0, 3.7, 1e-6, 1e6)
         select new RollupItem(progress, weight)).ListOf().Select(l => l.ToList());

    private static readonly Gen<IRollupPolicy> Rollups = Gen.Elements<IRollupPolicy>(
        WeightedMeanRollup.Default, new WeightedMeanRollup(NoDataRule.LeaveOut), new WeakestRollup(), new WeakestRollup(NoDataRule.LeaveOut));

    /// <summary>Multiplying every weight by the same positive factor changes no roll-up.</summary>
    [Property(MaxTest = 500)]
    public Property Scaling_all_weights_changes_no_rollup() =>
        Prop.ForAll(Items.Zip(Gen.Elements(1e-9, 0.001, 0.5, 3.0, 1e9, 1e300)).Zip(Rollups).ToArbitrary(), input =>
        {
            var ((items, factor), rollup) = input;
            var scaled = items.Select(i => i with { Weight = i.Weight * factor }).ToList();
            var (a, b) = (rollup.Combine(items), rollup.Combine(scaled));
            return a is null ? b is null : b is not null && Math.Abs(a.Value - b.Value) <= 1e-12;
        });

    /// <summary>A roll-up of equal progress values is exactly that value, whatever the weights.</summary>
    [Property(MaxTest = 500)]
    public Property A_mean_of_equal_scores_is_that_score() =>
        Prop.ForAll(Gen.Choose(0, 1000).Zip(Gen.Elements(0.5, 1.0, 2.0, 3.7, 1e-6, 1e6).NonEmptyListOf()).Zip(Rollups).ToArbitrary(), input =>
        {
            var ((permille, weights), rollup) = input;
            var p = permille / 1000.0;
            return rollup.Combine([.. weights.Select(w => new RollupItem(p, w))]) == p;
        });

    /// <summary>Health is a pure function of its inputs: equal contexts give equal verdicts, on any policy instance, at any time.</summary>
    [Property(MaxTest = 300)]
    public Property Health_is_a_pure_function_of_its_inputs() =>
        Prop.ForAll(
            (from period in OkrGen.Period
             from now in OkrGen.Instant
             from progress in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(0, 120).Select(i => (double?)(i / 100.0)))
             from quiet in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(0, 60).Select(i => (double?)i))
             from confidence in Gen.OneOf(Gen.Constant<Confidence?>(null), Gen.Choose(0, 10).Select(i => (Confidence?)Confidence.FromTenPointScale(i)))
             from zone in Gen.Elements("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC")
             select (period, now, progress, quiet, confidence, zone)).ToArbitrary(),
            input =>
            {
                var (period, now, progress, quiet, confidence, zoneId) = input;
                HealthContext Make() => new(progress, quiet is { } q ? now - Duration.FromDays(q) : null, confidence, period, DateTimeZoneProviders.Tzdb[zoneId], now);
                var first = PaceHealthPolicy.Default.Assess(Make());
                var again = new PaceHealthPolicy().Assess(Make());
                var withRatio = new PaceHealthPolicy(new HealthOptions { Thresholds = new RatioThresholds() }).Assess(Make());
                return Figures(first) == Figures(again)
                    && first.ElapsedShare is >= 0 and <= 1
                    && (quiet is null || quiet < 14 || first.Status == HealthStatus.Stale || first.ElapsedShare == 0 || first.ElapsedShare == 1)
                    && (first.Status == HealthStatus.Stale) == (withRatio.Status == HealthStatus.Stale);
            });

    /// <summary>A forecast of exactly linear data recovers the line.</summary>
    [Property(MaxTest = 300)]
    public Property Forecast_of_linear_data_recovers_the_line() =>
        Prop.ForAll(
            (from intercept in Gen.Choose(-100_000, 100_000)
             from slopeCents in Gen.Choose(-50_000, 50_000)
             from days in Gen.Choose(0, 90).ListOf().Select(l => l.Distinct().ToList()).Where(l => l.Count >= 2)
             select (intercept, slopeCents, days)).ToArbitrary(),
            input =>
            {
                var (intercept, slopeCents, days) = input;
                var slope = slopeCents / 100m;
                var kr = new KeyResult(new KeyResultId(Guid.NewGuid()), "KR", new IncreaseMeasure(-1_000_000, 1_000_000));
                var start = Instant.FromUtc(2026, 1, 1, 0, 0);
                var period = OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), "Q", new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31));
                var history = days.Select(d => new CheckIn(new CheckInId(Guid.NewGuid()), kr.Id, intercept + (slope * d), TestData.Alice, start + Duration.FromDays(d), start + Duration.FromDays(d))).ToList();
                var forecast = Forecaster.Project(kr, history, period, DateTimeZone.Utc, LinearScoringPolicy.Default);
                var expected = intercept + (slope * 90);
                return forecast.IsSufficient
                    && Math.Abs(forecast.SlopePerDay!.Value - (double)slope) < 1e-6
                    && Math.Abs(forecast.ProjectedValue!.Value - expected) < 0.001m;
            });

    /// <summary>Every figure of a health verdict, for comparing two verdicts field by field.</summary>
    private static (HealthStatus Status, HealthStatus Computed, double ElapsedShare, double ExpectedProgress, double? Progress, HealthOverride? Override) Figures(HealthAssessment a) =>
        (a.Status, a.Computed, a.ElapsedShare, a.ExpectedProgress, a.Progress, a.Override);
}
