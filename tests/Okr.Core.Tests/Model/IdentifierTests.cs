using FsCheck.Xunit;
using NodaTime;
using Okr.Testing;

namespace Okr.Core.Tests.Model;

public class IdentifierTests
{
    [Property(Arbitrary = new[] { typeof(OkrArbitraries) })]
    public bool Text_form_round_trips(ObjectiveId id) =>
        ObjectiveId.Parse(id.ToString()) == id && ObjectiveId.TryParse(id.ToString(), out var parsed) && parsed == id;

    [Fact]
    public void Text_form_is_the_lowercase_36_character_guid()
    {
        var id = new KeyResultId(Guid.Parse("0192F0A1-2B3C-7D4E-8F50-6172839405A6"));
        Assert.Equal("0192f0a1-2b3c-7d4e-8f50-6172839405a6", id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("{0192f0a1-2b3c-7d4e-8f50-6172839405a6}")]
    [InlineData("0192f0a12b3c7d4e8f506172839405a6")]
    public void Parse_rejects_anything_but_a_non_empty_36_character_guid(string text)
    {
        Assert.False(CheckInId.TryParse(text, out var id));
        Assert.True(id.IsEmpty);
        var ex = Assert.Throws<FormatException>(() => CheckInId.Parse(text));
        Assert.Contains(nameof(CheckInId), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_of_null_is_false() => Assert.False(TenantId.TryParse(null, out _));

    [Fact]
    public void New_identifiers_are_version_7_and_ordered_by_the_clock()
    {
        var clock = TestData.Clock();
        var first = PeriodId.New(clock);
        clock.Advance(Duration.FromMilliseconds(2));
        var second = PeriodId.New(clock);

        Assert.Equal(7, first.Value.Version);
        Assert.True(first < second);
        Assert.True(second > first);
        Assert.False(first.IsEmpty);

        // The timestamp in the first 48 bits is the clock's, not the machine's.
        var bytes = first.Value.ToByteArray(bigEndian: true);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }

        Assert.Equal(TestData.Start.ToUnixTimeMilliseconds(), ms);
    }

    [Fact]
    public void Default_identifier_is_empty() => Assert.True(default(TenantId).IsEmpty);
}
