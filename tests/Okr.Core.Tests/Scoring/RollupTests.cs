using Okr.Core.Scoring;

namespace Okr.Core.Tests.Scoring;

public class RollupTests
{
    private static readonly NodaTime.Testing.FakeClock Clock = TestData.Clock();

    private static KeyResult Kr(double weight = 1, ProgressSource source = ProgressSource.Measured) =>
        new(new KeyResultId(Guid.NewGuid()), "KR", new IncreaseMeasure(0, 100), weight, progressSource: source);

    private static Objective Objective(params KeyResult[] krs) =>
        Core.Objective.Create(new ObjectiveId(Guid.NewGuid()), new PeriodId(Guid.NewGuid()), "O", TestData.Alice, Clock, keyResults: krs);

    private static Func<KeyResultId, decimal?> Values(params (KeyResult Kr, decimal? Value)[] values) =>
        id => values.FirstOrDefault(v => v.Kr.Id == id).Value;

    [Fact]
    public void Objective_progress_is_the_weighted_mean_of_its_key_results()
    {
        var (a, b, c) = (Kr(2), Kr(1), Kr(1));
        var progress = OkrScoring.Default.Evaluate(Objective(a, b, c), Values((a, 50), (b, 100), (c, 0)));
        Assert.Equal(0.5, progress.Progress!.Value, 12);   // (2·0.5 + 1·1 + 1·0) / 4
        Assert.Equal([0.5, 1.0, 0.0], progress.KeyResults.Select(k => k.Progress!.Value));
    }

    [Fact]
    public void Weight_zero_is_tracked_but_not_counted()
    {
        var (a, tracked) = (Kr(1), Kr(0));
        var progress = OkrScoring.Default.Evaluate(Objective(a, tracked), Values((a, 40), (tracked, 100)));
        Assert.Equal(0.4, progress.Progress!.Value, 12);
        Assert.Equal(1.0, progress.KeyResults[1].Progress);
    }

    [Fact]
    public void Cancelled_key_results_never_count()
    {
        var (a, cancelled) = (Kr(1), Kr(5).Cancel());
        Assert.Equal(0.4, OkrScoring.Default.Evaluate(Objective(a, cancelled), Values((a, 40), (cancelled, 0))).Progress!.Value, 12);
    }

    [Fact]
    public void Pitfall_6_no_data_is_distinct_from_zero_and_the_policy_decides_everywhere()
    {
        var (a, silent) = (Kr(), Kr());
        var o = Objective(a, silent);
        var values = Values((a, 80), (silent, null));

        var asZero = OkrScoring.Default.Evaluate(o, values);
        Assert.Null(asZero.KeyResults[1].Score);
        Assert.Null(asZero.KeyResults[1].Progress);
        Assert.Equal(0.4, asZero.Progress!.Value, 12);

        var leaveOut = new OkrScoring(rollup: new WeightedMeanRollup(NoDataRule.LeaveOut));
        Assert.Equal(0.8, leaveOut.Evaluate(o, values).Progress!.Value, 12);

        // The same rule applies to aligned children, and to the period score.
        var parent = Objective();
        var child = new ChildProgress(Objective(Kr()), new AlignmentLink(parent.Id), null);
        var scoredChild = new ChildProgress(Objective(Kr()), new AlignmentLink(parent.Id), 0.8);
        var fromChildren = new OkrScoring(source: RollupSource.AlignedObjectives);
        Assert.Equal(0.4, fromChildren.Evaluate(parent, Values(), [child, scoredChild]).Progress!.Value, 12);
        var fromChildrenLeaveOut = new OkrScoring(rollup: new WeightedMeanRollup(NoDataRule.LeaveOut), source: RollupSource.AlignedObjectives);
        Assert.Equal(0.8, fromChildrenLeaveOut.Evaluate(parent, Values(), [child, scoredChild]).Progress!.Value, 12);
    }

    [Fact]
    public void Nothing_that_counts_means_no_data()
    {
        Assert.Null(OkrScoring.Default.Evaluate(Objective(), Values()).Progress);
        Assert.Null(new OkrScoring(rollup: new WeightedMeanRollup(NoDataRule.LeaveOut)).Evaluate(Objective(Kr()), Values()).Progress);
        Assert.Null(WeightedMeanRollup.Default.Combine([new RollupItem(0.5, 0)]));
    }

    [Fact]
    public void The_weakest_key_result_policy()
    {
        var (a, b, c) = (Kr(), Kr(), Kr(0));
        var weakest = new OkrScoring(rollup: new WeakestRollup());
        Assert.Equal(0.3, weakest.Evaluate(Objective(a, b, c), Values((a, 90), (b, 30), (c, 0))).Progress!.Value, 12);
        Assert.Equal(0, weakest.Evaluate(Objective(a, b), Values((a, 90))).Progress);
        Assert.Equal(0.9, new OkrScoring(rollup: new WeakestRollup(NoDataRule.LeaveOut)).Evaluate(Objective(a, b), Values((a, 90))).Progress);
    }

    [Fact]
    public void Aligned_children_roll_up_by_link_weight_and_only_when_they_contribute()
    {
        var parent = Objective(Kr());
        var children = new[]
        {
            new ChildProgress(Objective(Kr()), new AlignmentLink(parent.Id, weight: 3), 1.0),
            new ChildProgress(Objective(Kr()), new AlignmentLink(parent.Id, weight: 1), 0.2),
            new ChildProgress(Objective(Kr()), new AlignmentLink(parent.Id, kind: AlignmentKind.Supports), 0.0),
            new ChildProgress(Objective(Kr()).Cancel(Clock), new AlignmentLink(parent.Id), 0.0),
            new ChildProgress(Objective(Kr()), new AlignmentLink(new ObjectiveId(Guid.NewGuid())), 0.0),
        };
        var progress = new OkrScoring(source: RollupSource.AlignedObjectives).Evaluate(parent, Values(), children);
        Assert.Equal(0.8, progress.Progress!.Value, 12);   // (3·1.0 + 1·0.2) / 4
        Assert.Equal(0.8, progress.FromAlignedObjectives!.Value, 12);
    }

    [Fact]
    public void A_blend_mixes_own_key_results_and_aligned_children()
    {
        var kr = Kr();
        var parent = Objective(kr);
        var child = new ChildProgress(Objective(Kr()), new AlignmentLink(parent.Id), 1.0);
        var blend = new OkrScoring(source: RollupSource.Blend(0.25));
        Assert.Equal(0.25 * 0.2 + 0.75 * 1.0, blend.Evaluate(parent, Values((kr, 20)), [child]).Progress!.Value, 12);

        // Nobody aligned to it: the key results stand alone rather than being diluted by "no data".
        Assert.Equal(0.2, blend.Evaluate(parent, Values((kr, 20))).Progress!.Value, 12);
        Assert.Throws<OkrValidationException>(() => RollupSource.Blend(1.5));
    }

    [Fact]
    public void A_key_result_can_take_its_progress_from_objectives_aligned_to_it()
    {
        var (measured, derived) = (Kr(), Kr(source: ProgressSource.FromAlignedObjectives));
        var parent = Objective(measured, derived);
        var children = new[]
        {
            new ChildProgress(Objective(Kr()), new AlignmentLink(parent.Id, derived.Id), 0.6),
            new ChildProgress(Objective(Kr()), new AlignmentLink(parent.Id, derived.Id, weight: 3), 1.0),
            new ChildProgress(Objective(Kr()), new AlignmentLink(parent.Id, measured.Id), 0.0),   // shown only: measured KR
        };
        var progress = OkrScoring.Default.Evaluate(parent, Values((measured, 50)), children);
        Assert.Equal(0.9, progress.KeyResults[1].Progress!.Value, 12);
        Assert.Equal(0.7, progress.Progress!.Value, 12);
        Assert.Null(progress.FromAlignedObjectives);
    }

    [Fact]
    public void Period_score_is_the_mean_of_top_level_objectives()
    {
        var (k1, k2, k3) = (Kr(), Kr(), Kr());
        var company = Objective(k1);
        var team = Objective(k2).WithAlignments([new AlignmentLink(company.Id)], Clock);
        var other = Objective(k3);
        var cancelled = Objective(Kr()).Cancel(Clock);
        var values = Values((k1, 40), (k2, 100), (k3, 80));
        var all = new[] { company, team, other, cancelled }.Select(o => OkrScoring.Default.Evaluate(o, values)).ToList();
        Assert.Equal(0.6, OkrScoring.Default.PeriodScore(all)!.Value, 12);   // (0.4 + 0.8) / 2
    }
}
