using Okr.Core.Rules;

namespace Okr.Core.Tests.Rules;

public class RulesTests
{
    private static ObjectiveChange Change(Objective? before, Objective after, OkrPeriod period, params KeyResultId[] withCheckIns) =>
        new(before, after, period, withCheckIns.ToHashSet());

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public void Activation_needs_three_to_five_key_results(int count, bool allowed)
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var draft = TestData.Draft(clock, count, period.Id);
        var violations = OkrRules.Default.Check(Change(draft, draft.Activate(clock), period));
        Assert.Equal(allowed, violations.Count == 0);
        if (!allowed)
        {
            Assert.Equal((OkrErrorCodes.KeyResultCount, "KeyResults"), (violations[0].Code, violations[0].Member));
        }
    }

    [Fact]
    public void Cancelled_key_results_do_not_count()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var draft = TestData.Draft(clock, 3, period.Id);
        draft = draft.ReplaceKeyResult(draft.KeyResults[0].Cancel(), clock);
        Assert.Single(OkrRules.Default.Check(Change(draft, draft.Activate(clock), period)));
    }

    [Fact]
    public void The_range_is_configurable()
    {
        var rules = OkrRules.CreateDefault(new OkrRuleOptions { MinKeyResults = 1, MaxKeyResults = 2 });
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var draft = TestData.Draft(clock, 1, period.Id);
        Assert.Empty(rules.Check(Change(draft, draft.Activate(clock), period)));
    }

    [Fact]
    public void An_active_objective_may_not_grow_past_the_maximum_but_may_shrink()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var active = TestData.Draft(clock, 5, period.Id).Activate(clock);
        Assert.Single(OkrRules.Default.Check(Change(active, active.AddKeyResult(TestData.Kr(), clock), period)));
        Assert.Empty(OkrRules.Default.Check(Change(active, active.ReplaceKeyResult(active.KeyResults[0].Cancel(), clock), period)));
    }

    [Fact]
    public void Drafts_may_hold_any_number_of_key_results()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var draft = TestData.Draft(clock, 0, period.Id);
        Assert.Empty(OkrRules.Default.Check(Change(null, draft, period)));
    }

    [Fact]
    public void Titles_are_limited_by_the_configured_lengths()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var draft = TestData.Draft(clock, 3, period.Id);
        var after = draft.WithTitle(new string('o', 201), clock).ReplaceKeyResult(draft.KeyResults[1].WithTitle(new string('k', 201)), clock);
        var violations = OkrRules.Default.Check(Change(draft, after, period));
        Assert.Equal(["Title", "KeyResults[1].Title"], violations.Select(v => v.Member));
        Assert.All(violations, v => Assert.Equal(OkrErrorCodes.TooLong, v.Code));
    }

    [Theory]
    [InlineData(PeriodState.Planning, true)]
    [InlineData(PeriodState.Active, true)]
    [InlineData(PeriodState.Closed, false)]
    [InlineData(PeriodState.Archived, false)]
    public void Closed_and_archived_periods_are_read_only(PeriodState state, bool allowed)
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter(state);
        var draft = TestData.Draft(clock, 3, period.Id);
        var violations = OkrRules.Default.Check(Change(null, draft, period));
        Assert.Equal(allowed, violations.Count == 0);
        Assert.All(violations, v => Assert.Equal(OkrErrorCodes.PeriodClosed, v.Code));
    }

    [Fact]
    public void An_objective_is_judged_against_its_own_period()
    {
        var clock = TestData.Clock();
        var draft = TestData.Draft(clock);
        Assert.Equal(OkrErrorCodes.Mismatch, OkrRules.Default.Check(Change(null, draft, TestData.Quarter())).Single().Code);
    }

    [Fact]
    public void Measure_type_is_frozen_after_the_first_check_in_but_targets_may_move()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var before = TestData.Draft(clock, 3, period.Id);
        var kr = before.KeyResults[0];
        var retyped = before.ReplaceKeyResult(kr.WithMeasure(new DecreaseMeasure(200, 100)), clock);
        var retargeted = before.ReplaceKeyResult(kr.WithMeasure(new IncreaseMeasure(100, 300)), clock);

        Assert.Empty(OkrRules.Default.Check(Change(before, retyped, period)));
        var frozen = OkrRules.Default.Check(Change(before, retyped, period, kr.Id)).Single();
        Assert.Equal((OkrErrorCodes.MeasureFrozen, "KeyResults[0].Measure"), (frozen.Code, frozen.Member));
        Assert.Empty(OkrRules.Default.Check(Change(before, retargeted, period, kr.Id)));
        Assert.Single(OkrRules.Default.Check(Change(before, before.ReplaceKeyResult(kr.WithProgressSource(ProgressSource.FromAlignedObjectives), clock), period, kr.Id)));
    }

    [Fact]
    public void Every_violation_of_every_rule_is_reported_in_one_exception()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter(PeriodState.Closed);
        var draft = TestData.Draft(clock, 1, period.Id);
        var after = draft.WithTitle(new string('t', 300), clock).Activate(clock);
        var ex = Assert.Throws<OkrValidationException>(() => OkrRules.Default.Validate(Change(draft, after, period)));
        Assert.Equal([OkrErrorCodes.KeyResultCount, OkrErrorCodes.TooLong, OkrErrorCodes.PeriodClosed], ex.Violations.Select(v => v.Code));
        Assert.Contains("3 violations", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ins_need_an_active_objective_a_measured_key_result_and_an_accepted_value()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var milestone = new KeyResult(new KeyResultId(Guid.NewGuid()), "Ship v2", new MilestoneMeasure());
        var derived = TestData.Kr("From teams").WithProgressSource(ProgressSource.FromAlignedObjectives);
        var cancelled = TestData.Kr("Dropped").Cancel();
        var active = TestData.Draft(clock, 3, period.Id).AddKeyResult(milestone, clock).AddKeyResult(derived, clock).AddKeyResult(cancelled, clock).Activate(clock);

        IReadOnlyList<OkrViolation> Check(KeyResultId kr, decimal value, Objective? on = null) =>
            OkrRules.Default.Check(new CheckInChange(CheckIn.Record(CheckInId.New(clock), kr, value, TestData.Alice, clock), on ?? active, period));

        Assert.Empty(Check(milestone.Id, 1));
        Assert.Equal(OkrErrorCodes.InvalidValue, Check(milestone.Id, 0.5m).Single().Code);
        Assert.Equal(OkrErrorCodes.NotMeasured, Check(derived.Id, 3).Single().Code);
        Assert.Equal(OkrErrorCodes.ReadOnlyState, Check(cancelled.Id, 3).Single().Code);
        Assert.Equal(OkrErrorCodes.Mismatch, Check(new KeyResultId(Guid.NewGuid()), 3).Single().Code);
        Assert.Equal(OkrErrorCodes.ReadOnlyState, Check(milestone.Id, 1, TestData.Draft(clock, 3, period.Id).AddKeyResult(milestone, clock)).Single().Code);
    }

    [Fact]
    public void Check_ins_into_a_closed_period_are_rejected()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter(PeriodState.Closed);
        var active = TestData.Draft(clock, 3, period.Id).Activate(clock);
        var checkIn = CheckIn.Record(CheckInId.New(clock), active.KeyResults[0].Id, 150, TestData.Alice, clock);
        Assert.Equal(OkrErrorCodes.PeriodClosed, Assert.Single(OkrRules.Default.Check(new CheckInChange(checkIn, active, period))).Code);
    }

    [Fact]
    public void A_correction_must_name_an_existing_check_in_of_the_same_key_result()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var active = TestData.Draft(clock, 3, period.Id).Activate(clock);
        var original = CheckIn.Record(CheckInId.New(clock), active.KeyResults[0].Id, 150, TestData.Alice, clock);
        var otherKr = CheckIn.Record(CheckInId.New(clock), active.KeyResults[1].Id, 150, TestData.Alice, clock);
        var fix = original.Correct(CheckInId.New(clock), 160, TestData.Alice, clock);

        Assert.Empty(OkrRules.Default.Check(new CheckInChange(fix, active, period, original)));
        Assert.Equal(OkrErrorCodes.Mismatch, OkrRules.Default.Check(new CheckInChange(fix, active, period)).Single().Code);
        Assert.Equal(OkrErrorCodes.Mismatch, OkrRules.Default.Check(new CheckInChange(fix, active, period, otherKr)).Single().Code);
    }

    private sealed class NoFridayTitles : IObjectiveRule
    {
        public IEnumerable<OkrViolation> Check(ObjectiveChange change)
        {
            if (change.After.Title.Contains("Friday", StringComparison.Ordinal))
            {
                yield return new OkrViolation("acme.no_friday", "Title", "No Friday objectives at Acme.");
            }
        }
    }

    [Fact]
    public void Custom_rules_plug_in_and_built_in_ones_can_be_removed()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var draft = TestData.Draft(clock, 1, period.Id).WithTitle("Friday deploys", clock);
        var rules = OkrRules.Default.With(new NoFridayTitles()).Without<KeyResultCountRule>();
        Assert.Equal(["acme.no_friday"], rules.Check(Change(null, draft.Activate(clock), period)).Select(v => v.Code));
        Assert.DoesNotContain(rules.ObjectiveRules, r => r is KeyResultCountRule);
        Assert.Contains(rules.CheckInRules, r => r is PeriodWritableRule);
    }

    [Fact]
    public void Titles_are_limited_to_200_characters_by_the_default_rules_and_500_by_the_model()
    {
        Assert.Equal((200, 200, 500, 500), (new OkrRuleOptions().MaxObjectiveTitleLength, new OkrRuleOptions().MaxKeyResultTitleLength, Objective.MaxTitleLength, KeyResult.MaxTitleLength));
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var draft = TestData.Draft(clock, 3, period.Id);
        Assert.Empty(OkrRules.Default.Check(Change(draft, draft.WithTitle(new string('t', 200), clock), period)));
        Assert.Equal([OkrErrorCodes.TooLong], OkrRules.Default.Check(Change(draft, draft.WithTitle(new string('t', 201), clock), period)).Select(v => v.Code));
        Assert.Equal(OkrErrorCodes.TooLong, Assert.Single(Assert.Throws<OkrValidationException>(() => draft.WithTitle(new string('t', 501), clock)).Violations).Code);
    }

    [Fact]
    public void Rule_options_are_validated_with_every_problem_named()
    {
        var ex = Assert.Throws<OkrValidationException>(() => OkrRules.CreateDefault(new OkrRuleOptions { MinKeyResults = -1, MaxKeyResults = 0, MaxObjectiveTitleLength = 0, MaxKeyResultTitleLength = 501 }));
        Assert.Equal(["MinKeyResults", "MaxKeyResults", "MaxObjectiveTitleLength", "MaxKeyResultTitleLength"], ex.Violations.Select(v => v.Member));
    }
}
