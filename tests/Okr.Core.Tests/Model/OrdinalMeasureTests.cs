using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Okr.Core.Rules;
using Okr.Core.Scoring;
using Okr.Core.Serialization;
using Okr.Testing;

namespace Okr.Core.Tests.Model;

/// <summary>The ordinal measure: named levels a person chooses, each with its score (issue 19, item 4).</summary>
public class OrdinalMeasureTests
{
    private static readonly IScoringPolicy[] Policies =
    [
        LinearScoringPolicy.Default, new LinearScoringPolicy(1.25, ThresholdCredit.Partial(0.2)), SteppedScoringPolicy.Default, new SteppedScoringPolicy(0.2, 0.6), GoogleGradingPolicy.Instance,
    ];

    [Fact]
    public void The_default_levels_are_fail_commit_target_and_stretch_at_the_published_scores()
    {
        var levels = OrdinalMeasure.Default.Levels;
        Assert.Equal(["fail", "commit", "target", "stretch"], levels.Select(l => l.Name));
        Assert.Equal([0, 0.3, 0.7, 1.0], levels.Select(l => l.Score));
        Assert.Equal(MeasureKind.Ordinal, OrdinalMeasure.Default.Kind);
        Assert.Equal(MeasureUnit.Number, OrdinalMeasure.Default.Unit);
    }

    [Fact]
    public void A_check_in_chooses_a_level_by_its_position()
    {
        var m = OrdinalMeasure.Default;
        Assert.Equal(2m, m.ValueOf("target"));
        Assert.Equal(2m, m.ValueOf("TARGET"));
        Assert.Equal("stretch", m.LevelAt(3m).Name);
        Assert.Equal("commit", m.LevelAt(1.0m).Name);
        Assert.True(m.Accepts(0m) && m.Accepts(3m));
        Assert.False(m.Accepts(-1m) || m.Accepts(4m) || m.Accepts(1.5m));
        var unknown = TestData.Single(() => m.ValueOf("moonshot"));
        Assert.Equal(OkrErrorCodes.InvalidValue, unknown.Code);
        Assert.Contains("0 fail, 1 commit, 2 target, 3 stretch", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.LevelAt(4m));
    }

    [Fact]
    public void Bad_levels_are_refused_with_every_problem_named()
    {
        Assert.Equal(OkrErrorCodes.OutOfRange, TestData.Single(() => new OrdinalMeasure([new("only", 1)])).Code);
        Assert.Equal(OkrErrorCodes.OutOfRange, TestData.Single(() => new OrdinalMeasure(Enumerable.Range(0, 11).Select(i => new OrdinalLevel($"l{i}", i / 10.0)))).Code);
        var all = TestData.All(() => new OrdinalMeasure([new("low", 0.5), new("LOW", 0.4), new("high", 0.4)]));
        Assert.Contains(all, v => v is { Code: OkrErrorCodes.DuplicateId, Member: "Levels[1].Name" });
        Assert.Contains(all, v => v is { Code: OkrErrorCodes.LevelsOutOfOrder, Member: "Levels[1].Score" });
        Assert.Contains(all, v => v is { Code: OkrErrorCodes.LevelsOutOfOrder, Member: "Levels[2].Score" });
        Assert.Equal("Levels[0]", TestData.Single(() => new OrdinalMeasure([null!, new("b", 1)])).Member);
        Assert.Equal(OkrErrorCodes.Required, TestData.Single(() => new OrdinalLevel(" ", 0.5)).Code);
        Assert.Equal(OkrErrorCodes.TooLong, TestData.Single(() => new OrdinalLevel(new string('x', OrdinalLevel.MaxNameLength + 1), 0.5)).Code);
        Assert.Equal(OkrErrorCodes.OutOfRange, TestData.Single(() => new OrdinalLevel("over", 1.01)).Code);
        Assert.Equal(OkrErrorCodes.NotFinite, TestData.Single(() => new OrdinalLevel("nan", double.NaN)).Code);
    }

    [Fact]
    public void Measures_with_the_same_levels_are_equal()
    {
        var again = new OrdinalMeasure([new("fail", 0), new("commit", 0.3), new("target", 0.7), new("stretch", 1.0)]);
        Assert.Equal(OrdinalMeasure.Default, again);
        Assert.Equal(OrdinalMeasure.Default.GetHashCode(), again.GetHashCode());
        Assert.NotEqual(OrdinalMeasure.Default, new OrdinalMeasure([new("fail", 0), new("commit", 0.3), new("target", 0.7), new("stretch", 0.99)]));
        Assert.NotEqual<Measure>(OrdinalMeasure.Default, StagedMeasure.FromStretch(0, 3));
    }

    /// <summary>Under every scoring policy a chosen level scores its own score (rounded to tenths by Google grading).</summary>
    [Property(MaxTest = 300)]
    public Property Every_policy_scores_the_chosen_levels_score() =>
        Prop.ForAll(OkrGen.Ordinal.SelectMany(m => Gen.Choose(0, m.Levels.Count - 1).Select(i => (m, i))).ToArbitrary(), input =>
        {
            var (measure, index) = input;
            var kr = TestData.Kr("Chosen", measure);
            var expected = measure.Levels[index].Score;
            return Policies.All(p =>
            {
                var score = p.Score(kr, index);
                return score.Raw == expected && score.Progress == (p is GoogleGradingPolicy ? GradeBands.RoundToTenths(expected) : expected);
            });
        });

    [Fact]
    public void Roll_ups_use_the_levels_score_like_any_other_progress()
    {
        var chosen = TestData.Kr("Partner feedback", OrdinalMeasure.Default, 1);
        var revenue = TestData.Kr("Revenue", new IncreaseMeasure(0, 100), 3);
        var objective = Objective.Create(new ObjectiveId(Guid.NewGuid()), TestData.Quarter().Id, "Partners", TestData.Alice, TestData.Clock(), keyResults: [chosen, revenue]);
        decimal? ValueOf(KeyResultId k) => k == chosen.Id ? OrdinalMeasure.Default.ValueOf("commit") : 90m;
        var mean = OkrScoring.Default.Evaluate(objective, ValueOf);
        Assert.Equal(((1 * 0.3) + (3 * 0.9)) / 4, mean.Progress!.Value, 12);
        var weakest = new OkrScoring(rollup: new WeakestRollup()).Evaluate(objective, ValueOf);
        Assert.Equal(0.3, weakest.Progress!.Value, 12);
    }

    [Fact]
    public void A_document_with_an_ordinal_measure_says_okr_2_and_one_without_stays_okr_1()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var plain = Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Plain", TestData.Alice, clock, keyResults: [TestData.Kr("Revenue")]);
        var chosen = Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Chosen", TestData.Alice, clock, keyResults: [TestData.Kr("Feedback", OrdinalMeasure.Default)]);
        var tenant = new TenantId(Guid.NewGuid());

        var okr1 = OkrJson.Serialize(new OkrDocument(tenant, [period], [plain], []));
        Assert.Contains("\"format\": \"okr/1\"", okr1, StringComparison.Ordinal);
        var okr2 = OkrJson.Serialize(new OkrDocument(tenant, [period], [plain, chosen], []));
        Assert.Contains("\"format\": \"okr/2\"", okr2, StringComparison.Ordinal);
        Assert.Contains("\"levels\": [", okr2, StringComparison.Ordinal);
        var back = OkrJson.Deserialize(okr2);
        Assert.Equal(OrdinalMeasure.Default, back.Objectives[1].KeyResults[0].Measure);
        Assert.Equal(okr2, OkrJson.Serialize(back));

        // An okr/1 document cannot hold the measure okr/2 added: it is refused at the measure, not misread.
        var mislabelled = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(okr2.Replace("okr/2", "okr/1", StringComparison.Ordinal)));
        Assert.Equal("$.objectives[1].keyResults[0].measure.type", mislabelled.Path);
        Assert.Contains("okr/2", mislabelled.Message, StringComparison.Ordinal);
        Assert.Contains("okr/2", Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(okr1.Replace("okr/1", "okr/3", StringComparison.Ordinal))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_levels_in_a_document_are_named_by_their_json_path()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var chosen = Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Chosen", TestData.Alice, clock, keyResults: [TestData.Kr("Feedback", OrdinalMeasure.Default)]);
        var json = OkrJson.Serialize(new OkrDocument(new TenantId(Guid.NewGuid()), [period], [chosen], []));

        var outOfOrder = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(json.Replace("\"score\": 0.7", "\"score\": 0.2", StringComparison.Ordinal)));
        Assert.Equal("$.objectives[0].keyResults[0].measure.levels[2].score", outOfOrder.Path);
        Assert.Equal(OkrErrorCodes.LevelsOutOfOrder, Assert.IsType<OkrValidationException>(outOfOrder.InnerException).Violations[0].Code);
        var badLevel = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(json.Replace("\"score\": 1", "\"score\": 2", StringComparison.Ordinal)));
        Assert.Equal("$.objectives[0].keyResults[0].measure.levels[3].score", badLevel.Path);
        var missing = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(Encoding.UTF8.GetBytes(json.Replace("\"levels\"", "\"levelz\"", StringComparison.Ordinal))));
        Assert.Contains("levelz", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_body_with_an_ordinal_measure_reads_back_equal()
    {
        var objective = Objective.Create(new ObjectiveId(Guid.NewGuid()), TestData.Quarter().Id, "Chosen", TestData.Alice, TestData.Clock(), keyResults: [TestData.Kr("Feedback", OrdinalMeasure.Default)]);
        var back = OkrJson.DeserializeObjective(OkrJson.SerializeObjective(objective));
        Assert.Equal(OrdinalMeasure.Default, back.KeyResults[0].Measure);
    }

    [Fact]
    public void Once_checked_in_an_ordinal_key_result_may_gain_levels_but_not_lose_them()
    {
        var clock = TestData.Clock();
        var kr = TestData.Kr("Feedback", OrdinalMeasure.Default);
        var before = Objective.Create(new ObjectiveId(Guid.NewGuid()), TestData.Quarter().Id, "Chosen", TestData.Alice, clock, keyResults: [kr]);
        var fewer = new OrdinalMeasure([new("no", 0), new("yes", 1)]);
        var more = new OrdinalMeasure([.. OrdinalMeasure.Default.Levels.Take(3), new("stretch", 0.9), new("legend", 1)]);
        IEnumerable<OkrViolation> Check(OrdinalMeasure m) =>
            new MeasureFrozenRule().Check(new ObjectiveChange(before, before.WithKeyResults([kr.WithMeasure(m)], clock), TestData.Quarter(), new HashSet<KeyResultId> { kr.Id }));
        Assert.Contains(Check(fewer), v => v.Code == OkrErrorCodes.MeasureFrozen && v.Message.Contains("4 levels", StringComparison.Ordinal));
        Assert.Empty(Check(more));
    }
}
