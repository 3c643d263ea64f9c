using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Okr.Core.Tests.Model;

public class MeasureTests
{
    private static readonly Gen<decimal> Level = Gen.Elements(-20m, -1.5m, 0m, 0.25m, 10m, 10m, 99.9m, Measure.MaxMagnitude, Measure.MaxMagnitude + 1);

    [Theory]
    [InlineData(10, 10)]
    [InlineData(-20, -20)]
    public void Baseline_equal_to_target_is_rejected(decimal baseline, decimal target)
    {
        Assert.Equal(OkrErrorCodes.BaselineEqualsTarget, TestData.Single(() => new IncreaseMeasure(baseline, target)).Code);
        Assert.Equal(OkrErrorCodes.BaselineEqualsTarget, TestData.Single(() => new DecreaseMeasure(baseline, target)).Code);
        Assert.Equal(OkrErrorCodes.BaselineEqualsTarget, TestData.Single(() => StagedMeasure.FromStretch(baseline, target)).Code);
    }

    [Fact]
    public void Increase_pointing_down_is_rejected_with_a_hint() =>
        Assert.Contains("DecreaseMeasure", TestData.Single(() => new IncreaseMeasure(100, 50)).Message, StringComparison.Ordinal);

    [Fact]
    public void Decrease_pointing_up_is_rejected_with_a_hint() =>
        Assert.Contains("IncreaseMeasure", TestData.Single(() => new DecreaseMeasure(50, 100)).Message, StringComparison.Ordinal);

    [Fact]
    public void Stretch_must_lie_beyond_the_target()
    {
        Assert.Equal(OkrErrorCodes.LevelsOutOfOrder, TestData.Single(() => new IncreaseMeasure(0, 10, 10)).Code);
        Assert.Equal(OkrErrorCodes.LevelsOutOfOrder, TestData.Single(() => new DecreaseMeasure(10, 0, 5)).Code);
    }

    [Fact]
    public void Negative_levels_are_legal()
    {
        var nps = new IncreaseMeasure(-20, 10, unit: MeasureUnit.Custom("NPS points"));
        Assert.Equal(-20m, nps.Baseline);
        Assert.Equal(10m, nps.Target);
    }

    [Fact]
    public void Values_beyond_ten_to_the_eighteenth_are_rejected_all_at_once()
    {
        var violations = TestData.All(() => new IncreaseMeasure(-decimal.MaxValue, decimal.MaxValue));
        Assert.Equal(["Baseline", "Target"], violations.Select(v => v.Member));
        Assert.All(violations, v => Assert.Equal(OkrErrorCodes.OutOfRange, v.Code));
    }

    [Fact]
    public void Range_needs_low_below_high() =>
        Assert.Equal(nameof(WithinRangeMeasure.High), TestData.Single(() => new WithinRangeMeasure(5, 5)).Member);

    [Fact]
    public void Staged_defaults_sit_at_thirty_and_seventy_percent_of_the_way_to_stretch()
    {
        var up = StagedMeasure.FromStretch(0, 100);
        Assert.Equal((30m, 70m), (up.Commit, up.Target));
        Assert.True(up.IsIncreasing);

        var down = StagedMeasure.FromStretch(50, 10);
        Assert.Equal((38m, 22m), (down.Commit, down.Target));
        Assert.False(down.IsIncreasing);
    }

    [Fact]
    public void Staged_levels_must_be_strictly_monotone() =>
        Assert.Equal(OkrErrorCodes.LevelsOutOfOrder, TestData.Single(() => new StagedMeasure(0, 80, 70, 100)).Code);

    [Fact]
    public void Milestone_accepts_only_zero_and_one()
    {
        var m = new MilestoneMeasure();
        Assert.True(m.Accepts(0));
        Assert.True(m.Accepts(1));
        Assert.True(m.Accepts(1.000m));
        Assert.False(m.Accepts(0.5m));
        Assert.False(m.Accepts(2));
    }

    [Fact]
    public void Measures_are_equal_by_value() =>
        Assert.Equal(new IncreaseMeasure(1.5m, 3, 4, MeasureUnit.Percent), new IncreaseMeasure(1.5m, 3, 4, MeasureUnit.Percent));

    /// <summary>Invalid input never yields a constructed object, and valid input is never refused.</summary>
    [Property]
    public Property Directional_measures_exist_exactly_when_their_levels_are_valid() =>
        Prop.ForAll(
            Gen.Three(Level).Zip(Gen.Elements(true, false)).ToArbitrary(),
            input =>
            {
                var ((b, t, s), withStretch) = input;
                decimal? stretch = withStretch ? s : null;
                var inRange = Math.Abs(b) <= Measure.MaxMagnitude && Math.Abs(t) <= Measure.MaxMagnitude && (!withStretch || Math.Abs(s) <= Measure.MaxMagnitude);
                var upValid = inRange && b < t && (!withStretch || s > t);
                var downValid = inRange && b > t && (!withStretch || s < t);
                return Constructs(() => new IncreaseMeasure(b, t, stretch)) == upValid
                    && Constructs(() => new DecreaseMeasure(b, t, stretch)) == downValid;
            });

    [Property]
    public Property Staged_measures_exist_exactly_when_levels_are_strictly_monotone() =>
        Prop.ForAll(
            Gen.Four(Level).ToArbitrary(),
            levels =>
            {
                var (b, c, t, s) = levels;
                var inRange = new[] { b, c, t, s }.All(v => Math.Abs(v) <= Measure.MaxMagnitude);
                var valid = inRange && ((b < c && c < t && t < s) || (b > c && c > t && t > s));
                return Constructs(() => new StagedMeasure(b, c, t, s)) == valid;
            });

    private static bool Constructs(Func<Measure> make)
    {
        try
        {
            return make() is not null;
        }
        catch (OkrValidationException)
        {
            return false;
        }
    }
}
