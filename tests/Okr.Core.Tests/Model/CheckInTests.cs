using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Okr.Testing;

namespace Okr.Core.Tests.Model;

public class CheckInTests
{
    private static readonly KeyResultId Kr = new(Guid.Parse("0192f0a1-2b3c-7d4e-8f50-6172839405a6"));

    private static CheckIn At(int day, decimal value, int recordedDay = -1, CheckInId? corrects = null) =>
        new(new CheckInId(Guid.NewGuid()), Kr, value, TestData.Alice, Day(day), Day(recordedDay < 0 ? day : recordedDay), corrects: corrects);

    private static Instant Day(int day) => TestData.Start + Duration.FromDays(day);

    [Fact]
    public void Record_takes_both_instants_from_the_clock()
    {
        var clock = TestData.Clock();
        var c = CheckIn.Record(CheckInId.New(clock), Kr, 12.5m, TestData.Alice, clock, confidence: new Confidence(0.8), note: "on track");
        Assert.Equal((TestData.Start, TestData.Start), (c.EffectiveAt, c.RecordedAt));
        Assert.Equal(12.5m, c.Value);
        Assert.False(c.IsCorrection);
    }

    [Fact]
    public void A_value_cannot_be_recorded_before_it_is_true()
    {
        var clock = TestData.Clock();
        var v = TestData.Single(() => CheckIn.Record(CheckInId.New(clock), Kr, 1, TestData.Alice, clock, effectiveAt: TestData.Start + Duration.FromSeconds(1)));
        Assert.Equal(nameof(CheckIn.EffectiveAt), v.Member);
    }

    [Fact]
    public void Bad_check_ins_report_every_problem()
    {
        var id = new CheckInId(Guid.NewGuid());
        var violations = TestData.All(() => new CheckIn(id, default, decimal.MaxValue, default, TestData.Start, TestData.Start, note: "bell\a", corrects: id));
        Assert.Equal([nameof(CheckIn.KeyResultId), nameof(CheckIn.Value), nameof(CheckIn.Author), nameof(CheckIn.Note), nameof(CheckIn.Corrects)], violations.Select(v => v.Member));
    }

    [Fact]
    public void A_correction_names_the_original_and_keeps_its_key_result_and_effective_instant()
    {
        var clock = TestData.Clock();
        var original = CheckIn.Record(CheckInId.New(clock), Kr, 40, TestData.Alice, clock, confidence: new Confidence(0.5));
        clock.Advance(Duration.FromDays(2));
        var fix = original.Correct(CheckInId.New(clock), 45, OwnerRef.Person("bob"), clock, "typo");
        Assert.Equal(original.Id, fix.Corrects);
        Assert.Equal((original.KeyResultId, original.EffectiveAt, original.Confidence), (fix.KeyResultId, fix.EffectiveAt, fix.Confidence));
        Assert.Equal(clock.GetCurrentInstant(), fix.RecordedAt);
        Assert.True(fix.IsCorrection);
    }

    [Fact]
    public void No_check_in_means_no_data_not_zero() => Assert.Null(CheckInHistory.AsOf([], Day(10)));

    [Fact]
    public void As_of_takes_the_latest_effective_value_not_after_the_instant()
    {
        var history = new[] { At(0, 10), At(7, 20), At(14, 30) };
        Assert.Null(CheckInHistory.AsOf(history, Day(-1)));
        Assert.Equal(10, CheckInHistory.AsOf(history, Day(0))!.Value);
        Assert.Equal(20, CheckInHistory.AsOf(history, Day(13))!.Value);
        Assert.Equal(30, CheckInHistory.AsOf(history, Day(99))!.Value);
    }

    [Fact]
    public void Ties_on_effective_instant_go_to_the_latest_recorded()
    {
        var history = new[] { At(7, 25, recordedDay: 9), At(7, 20, recordedDay: 8) };
        Assert.Equal(25, CheckInHistory.AsOf(history, Day(7))!.Value);
    }

    [Fact]
    public void A_late_check_in_for_an_earlier_day_does_not_replace_a_newer_value()
    {
        // Pitfall 8: history keyed on the oldest row. A value entered late for day 3 must not hide day 7's.
        var history = new[] { At(7, 70), At(3, 30, recordedDay: 10) };
        Assert.Equal(70, CheckInHistory.AsOf(history, Day(10))!.Value);
        Assert.Equal(30, CheckInHistory.AsOf(history, Day(5))!.Value);
    }

    [Fact]
    public void Corrections_replace_what_they_correct_and_the_past_can_be_rebuilt()
    {
        var wrong = At(7, 700);
        var fix = At(7, 70, recordedDay: 9, corrects: wrong.Id);
        var history = new[] { At(0, 10), wrong, fix };

        Assert.Equal(70, CheckInHistory.AsOf(history, Day(8))!.Value);
        Assert.Equal(700, CheckInHistory.AsOf(history, Day(8), knownAt: Day(8))!.Value);
        Assert.Equal([10m, 70m], CheckInHistory.InForce(history).Select(c => c.Value));
        Assert.Equal([10m, 700m], CheckInHistory.InForce(history, Day(8)).Select(c => c.Value));
    }

    [Fact]
    public void A_correction_of_a_correction_wins()
    {
        var a = At(1, 1);
        var b = At(1, 2, recordedDay: 2, corrects: a.Id);
        var c = At(1, 3, recordedDay: 3, corrects: b.Id);
        Assert.Equal(3, CheckInHistory.AsOf([c, a, b], Day(5))!.Value);
    }

    /// <summary>The as-of value of any history with corrections equals the brute-force definition.</summary>
    [Property]
    public Property As_of_equals_the_brute_force_definition() =>
        Prop.ForAll(
            (from history in OkrGen.HistoryFor(Kr)
             from t in history.Count == 0 ? OkrGen.Instant : Gen.OneOf(OkrGen.Instant, Gen.Elements(history.Select(c => c.EffectiveAt).ToArray()))
             from k in Gen.OneOf(Gen.Constant<Instant?>(null), OkrGen.Instant.Select(i => (Instant?)i), history.Count == 0 ? Gen.Constant<Instant?>(null) : Gen.Elements(history.Select(c => (Instant?)c.RecordedAt).ToArray()))
             from seed in Gen.Choose(0, int.MaxValue)
             select (history, t, k, seed)).ToArbitrary(),
            input =>
            {
                var (history, t, k, seed) = input;
                var shuffled = history.OrderBy(_ => new Random(seed).Next()).ToList();
                var expected = BruteForce(history, t, k);
                return Equals(CheckInHistory.AsOf(history, t, k), expected) && Equals(CheckInHistory.AsOf(shuffled, t, k), expected);
            });

    /// <summary>Straight from the definition: no cleverness, quadratic, obviously right.</summary>
    private static CheckIn? BruteForce(List<CheckIn> all, Instant t, Instant? k)
    {
        var known = all.Where(c => k is null || c.RecordedAt <= k).ToList();
        var candidates = known.Where(c => c.EffectiveAt <= t && !known.Any(d => d.Corrects == c.Id)).ToList();
        return candidates.Where(c => candidates.All(d =>
            d.EffectiveAt < c.EffectiveAt
            || (d.EffectiveAt == c.EffectiveAt && (d.RecordedAt < c.RecordedAt || (d.RecordedAt == c.RecordedAt && d.Id.CompareTo(c.Id) <= 0))))).SingleOrDefault();
    }
}
