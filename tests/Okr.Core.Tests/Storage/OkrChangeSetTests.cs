using Okr.Core.Storage;

namespace Okr.Core.Tests.Storage;

/// <summary>What <see cref="OkrChangeSet.ExpectCheckInCount"/> accepts, refuses, and holds for a store to check.</summary>
public class OkrChangeSetTests
{
    [Fact]
    public void A_check_in_count_is_kept_per_key_result_and_refused_for_no_key_result_or_a_negative_count()
    {
        var (kr, other) = (new KeyResultId(Guid.NewGuid()), new KeyResultId(Guid.NewGuid()));
        var changes = new OkrChangeSet().ExpectCheckInCount(kr, 3).ExpectCheckInCount(other, 0).ExpectCheckInCount(kr, 3);
        Assert.Equal(new Dictionary<KeyResultId, long> { [kr] = 3, [other] = 0 }, changes.ExpectedCheckInCounts);

        Assert.Equal("keyResult", Assert.Throws<ArgumentException>(() => new OkrChangeSet().ExpectCheckInCount(default, 1)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => new OkrChangeSet().ExpectCheckInCount(kr, -1)).ParamName);
    }

    [Fact]
    public void A_key_result_read_with_two_counts_in_one_decision_fails_naming_both()
    {
        var kr = new KeyResultId(Guid.NewGuid());
        var changes = new OkrChangeSet().ExpectCheckInCount(kr, 3);
        var stale = Assert.Throws<OkrConcurrencyException>(() => changes.ExpectCheckInCount(kr, 4));
        Assert.Equal((3L, 4L), (stale.ExpectedVersion, stale.ActualVersion!.Value));
        Assert.Contains($"Key result {kr}", stale.Message, StringComparison.Ordinal);
        Assert.Equal(3, changes.ExpectedCheckInCounts[kr]);
    }
}
