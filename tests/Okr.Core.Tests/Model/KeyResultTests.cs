namespace Okr.Core.Tests.Model;

public class KeyResultTests
{
    [Fact]
    public void Defaults_are_weight_one_measured_and_not_cancelled()
    {
        var kr = TestData.Kr();
        Assert.Equal(1.0, kr.Weight);
        Assert.Equal(ProgressSource.Measured, kr.ProgressSource);
        Assert.False(kr.IsCancelled);
        Assert.Null(kr.Owner);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var violations = TestData.All(() => new KeyResult(default, " ", null!, double.NaN, default(OwnerRef)));
        Assert.Equal(
            [nameof(KeyResult.Id), nameof(KeyResult.Title), nameof(KeyResult.Measure), nameof(KeyResult.Weight), nameof(KeyResult.Owner)],
            violations.Select(v => v.Member));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.PositiveInfinity)]
    public void Weight_must_be_finite_and_not_negative(double weight) =>
        Assert.Equal(nameof(KeyResult.Weight), TestData.Single(() => TestData.Kr(weight: weight)).Member);

    [Fact]
    public void Weight_zero_is_allowed() => Assert.Equal(0, TestData.Kr(weight: 0).Weight);

    [Fact]
    public void Titles_are_limited_and_single_line()
    {
        Assert.Equal(OkrErrorCodes.TooLong, TestData.Single(() => TestData.Kr(new string('a', KeyResult.MaxTitleLength + 1))).Code);
        Assert.Equal(OkrErrorCodes.ControlCharacters, TestData.Single(() => TestData.Kr("two\nlines")).Code);
    }

    [Fact]
    public void With_methods_validate_and_leave_the_original_unchanged()
    {
        var kr = TestData.Kr();
        Assert.Throws<OkrValidationException>(() => kr.WithWeight(-2));
        var cancelled = kr.Cancel();
        Assert.True(cancelled.IsCancelled);
        Assert.False(kr.IsCancelled);
        Assert.Equal("New title", kr.WithTitle("New title").Title);
        Assert.Equal(kr.Id, kr.WithMeasure(new MilestoneMeasure()).Id);
    }
}
