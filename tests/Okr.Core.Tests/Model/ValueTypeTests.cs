using FsCheck.Xunit;
using Okr.Testing;

namespace Okr.Core.Tests.Model;

public class ValueTypeTests
{
    [Fact]
    public void Owner_text_form_names_kind_and_id()
    {
        Assert.Equal("person:E1042", OwnerRef.Person("E1042").ToString());
        Assert.Equal("team:platform", OwnerRef.Team("platform").ToString());
        Assert.Equal("organization-unit:sales", OwnerRef.OrganizationUnit("sales").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    public void Owner_rejects_blank_or_control_character_ids(string id)
    {
        var violation = TestData.Single(() => OwnerRef.Person(id));
        Assert.Equal(nameof(OwnerRef.ExternalId), violation.Member);
    }

    [Fact]
    public void Owner_rejects_too_long_ids_and_undefined_kinds_together()
    {
        var violations = TestData.All(() => new OwnerRef((OwnerKind)9, new string('x', OwnerRef.MaxExternalIdLength + 1)));
        Assert.Equal([OkrErrorCodes.OutOfRange, OkrErrorCodes.TooLong], violations.Select(v => v.Code));
    }

    [Property(Arbitrary = new[] { typeof(OkrArbitraries) })]
    public bool Unit_text_form_round_trips(MeasureUnit unit) =>
        MeasureUnit.TryParse(unit.ToString(), out var parsed) && parsed == unit;

    [Theory]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    public void Currency_needs_three_capital_letters(string code) =>
        Assert.Equal(OkrErrorCodes.OutOfRange, TestData.Single(() => MeasureUnit.Currency(code)).Code);

    [Theory]
    [InlineData("currency:eur")]
    [InlineData("custom:")]
    [InlineData("kilograms")]
    [InlineData(null)]
    public void Unit_parse_rejects_unknown_forms(string? text) => Assert.False(MeasureUnit.TryParse(text, out _));

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(7, 0.7)]
    [InlineData(10, 1.0)]
    public void Confidence_from_the_ten_point_scale(double rating, double expected) =>
        Assert.Equal(expected, Confidence.FromTenPointScale(rating).Value, 12);

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Confidence_outside_zero_to_one_is_rejected(double value) =>
        Assert.Contains(TestData.Single(() => new Confidence(value)).Code, new[] { OkrErrorCodes.OutOfRange, OkrErrorCodes.NotFinite });

    [Property]
    public bool Confidence_from_ten_point_scale_is_within_bounds_and_monotone(byte a, byte b)
    {
        var (x, y) = (a % 11, b % 11);
        var (cx, cy) = (Confidence.FromTenPointScale(x), Confidence.FromTenPointScale(y));
        return cx.Value is >= 0 and <= 1 && (x <= y) == (cx <= cy);
    }
}
