using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace Okr.Core.Tests.Model;

public class ObjectiveTests
{
    [Fact]
    public void A_key_result_the_objective_does_not_hold_is_an_unknown_reference()
    {
        var clock = TestData.Clock();
        var objective = TestData.Draft(clock, 3, TestData.Quarter().Id);
        var missing = new KeyResultId(Guid.NewGuid());
        var violation = TestData.Single(() => objective.RemoveKeyResult(missing, clock));
        Assert.Equal((OkrErrorCodes.UnknownReference, "KeyResults"), (violation.Code, violation.Member));
        Assert.Contains(missing.ToString(), violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reopening_a_closed_objective_takes_off_its_grade_and_keeps_why()
    {
        var clock = TestData.Clock();
        var closed = TestData.Draft(clock, 3, TestData.Quarter().Id).Activate(clock).Close(FinalGrade.FromComputed(0.4), clock);
        clock.Advance(Duration.FromDays(3));
        var reopened = closed.Reopen("a late deal counted", clock);
        Assert.Equal((ObjectiveState.Active, (FinalGrade?)null, "a late deal counted", clock.GetCurrentInstant()), (reopened.State, reopened.Grade, reopened.ReopenReason, reopened.UpdatedAt));

        // The reason stays through the next close; at most 1 000 characters, not blank, and only a closed objective reopens.
        Assert.Equal("a late deal counted", reopened.Close(FinalGrade.FromComputed(0.9), clock).ReopenReason);
        Assert.Equal(1000, Objective.MaxReopenReasonLength);
        Assert.Equal(new string('r', 1000), closed.Reopen(new string('r', 1000), clock).ReopenReason);
        Assert.Equal((OkrErrorCodes.TooLong, nameof(Objective.ReopenReason)), Pair(TestData.Single(() => closed.Reopen(new string('r', 1001), clock))));
        Assert.Equal((OkrErrorCodes.Required, nameof(Objective.ReopenReason)), Pair(TestData.Single(() => closed.Reopen("  ", clock))));
        Assert.Equal((OkrErrorCodes.IllegalTransition, nameof(Objective.State)), Pair(TestData.Single(() => reopened.Reopen("again", clock))));

        // It travels in okr/1.
        Assert.Equal(reopened, Okr.Core.Serialization.OkrJson.DeserializeObjective(Okr.Core.Serialization.OkrJson.SerializeObjective(reopened)));
        static (string, string) Pair(OkrViolation v) => (v.Code, v.Member);
    }

    [Fact]
    public void Create_makes_a_draft_at_version_zero_stamped_by_the_clock()
    {
        var clock = TestData.Clock();
        var o = TestData.Draft(clock);
        Assert.Equal(ObjectiveState.Draft, o.State);
        Assert.Equal(0, o.Version);
        Assert.Equal(TestData.Start, o.CreatedAt);
        Assert.Equal(TestData.Start, o.UpdatedAt);
        Assert.Equal(ObjectiveKind.Aspirational, o.Kind);
        Assert.Equal(Visibility.Public, o.Visibility);
        Assert.Null(o.Grade);
    }

    [Fact]
    public void Edits_return_a_copy_stamped_with_the_new_instant()
    {
        var clock = TestData.Clock();
        var o = TestData.Draft(clock);
        clock.Advance(Duration.FromHours(1));
        var edited = o.WithTitle("Win the enterprise market", clock).WithKind(ObjectiveKind.Committed, clock).WithVisibility(Visibility.Team, clock);

        Assert.Equal("Delight our customers", o.Title);
        Assert.Equal("Win the enterprise market", edited.Title);
        Assert.Equal(ObjectiveKind.Committed, edited.Kind);
        Assert.Equal(TestData.Start + Duration.FromHours(1), edited.UpdatedAt);
        Assert.Equal(o.CreatedAt, edited.CreatedAt);
        Assert.Equal(o.Version, edited.Version);
    }

    [Fact]
    public void A_clock_set_back_never_makes_updated_precede_created()
    {
        var clock = TestData.Clock();
        var o = TestData.Draft(clock);
        clock.Reset(TestData.Start - Duration.FromDays(1));
        Assert.Equal(o.CreatedAt, o.WithDescription("why", clock).UpdatedAt);
    }

    [Fact]
    public void Null_edits_are_rejected_not_ignored()
    {
        var clock = TestData.Clock();
        var o = TestData.Draft(clock);
        Assert.Equal(nameof(Objective.Title), TestData.Single(() => o.WithTitle(null!, clock)).Member);
        Assert.Equal(nameof(Objective.Description), TestData.Single(() => o.WithDescription(null!, clock)).Member);
        Assert.Equal(nameof(Objective.KeyResults), TestData.Single(() => o.WithKeyResults(null!, clock)).Member);
        Assert.Equal(nameof(Objective.Alignments), TestData.Single(() => o.WithAlignments(null!, clock)).Member);
    }

    [Fact]
    public void Key_results_can_be_added_replaced_and_removed()
    {
        var clock = TestData.Clock();
        var o = TestData.Draft(clock, keyResults: 0);
        var kr = TestData.Kr();
        o = o.AddKeyResult(kr, clock);
        Assert.Same(kr, o.FindKeyResult(kr.Id));
        o = o.ReplaceKeyResult(kr.WithWeight(3), clock);
        Assert.Equal(3, o.KeyResults.Single().Weight);
        o = o.RemoveKeyResult(kr.Id, clock);
        Assert.Empty(o.KeyResults);
        Assert.Null(o.FindKeyResult(kr.Id));
    }

    [Fact]
    public void Replacing_an_unknown_key_result_is_rejected()
    {
        var clock = TestData.Clock();
        Assert.Equal(nameof(Objective.KeyResults), TestData.Single(() => TestData.Draft(clock).ReplaceKeyResult(TestData.Kr(), clock)).Member);
    }

    [Fact]
    public void Duplicate_key_result_ids_are_rejected()
    {
        var clock = TestData.Clock();
        var o = TestData.Draft(clock);
        var v = TestData.Single(() => o.AddKeyResult(o.KeyResults[0].WithTitle("Copy"), clock));
        Assert.Equal((OkrErrorCodes.DuplicateId, "KeyResults[3].Id"), (v.Code, v.Member));
    }

    [Fact]
    public void An_objective_cannot_align_to_itself_or_to_one_parent_twice()
    {
        var clock = TestData.Clock();
        var o = TestData.Draft(clock);
        var parent = new ObjectiveId(Guid.NewGuid());
        var violations = TestData.All(() => o.WithAlignments([new AlignmentLink(o.Id), new AlignmentLink(parent), new AlignmentLink(parent, weight: 2)], clock));
        Assert.Equal(["Alignments[0].ParentObjectiveId", "Alignments[2]"], violations.Select(v => v.Member));
        Assert.All(violations, v => Assert.Equal(OkrErrorCodes.InvalidAlignment, v.Code));
    }

    [Fact]
    public void Alignment_links_validate_their_weight_and_key_result()
    {
        var violations = TestData.All(() => new AlignmentLink(default, new KeyResultId(Guid.Empty), -1));
        Assert.Equal([nameof(AlignmentLink.ParentObjectiveId), nameof(AlignmentLink.ParentKeyResultId), nameof(AlignmentLink.Weight)], violations.Select(v => v.Member));
    }

    [Fact]
    public void Constructor_reports_every_broken_invariant_at_once()
    {
        var violations = TestData.All(() => new Objective(
            default, default, "", "ok", default, (ObjectiveKind)7, ObjectiveState.Closed, Visibility.Public, [], [], -1, TestData.Start, TestData.Start - Duration.FromSeconds(1), null));
        Assert.Equal(
            ["Id", "PeriodId", "Title", "Owner", "Kind", "Version", "UpdatedAt", "Grade"],
            violations.Select(v => v.Member));
    }

    [Fact]
    public void Only_a_closed_objective_carries_a_grade()
    {
        var clock = TestData.Clock();
        var o = TestData.Draft(clock);
        var v = TestData.Single(() => new Objective(o.Id, o.PeriodId, o.Title, o.Description, o.Owner, o.Kind, ObjectiveState.Active, o.Visibility, o.KeyResults, o.Alignments, 0, o.CreatedAt, o.UpdatedAt, FinalGrade.FromComputed(0.5)));
        Assert.Equal(nameof(Objective.Grade), v.Member);
    }

    [Fact]
    public void Closing_keeps_the_grade_and_makes_the_objective_read_only()
    {
        var clock = TestData.Clock();
        var closed = TestData.Draft(clock).Activate(clock).Close(FinalGrade.FromComputed(0.7), clock);
        Assert.Equal(0.7, closed.Grade!.Value);
        Assert.False(closed.IsEditable);
        Assert.Equal(OkrErrorCodes.ReadOnlyState, TestData.Single(() => closed.WithTitle("Too late", clock)).Code);
        Assert.Equal(OkrErrorCodes.ReadOnlyState, TestData.Single(() => closed.AddKeyResult(TestData.Kr(), clock)).Code);
    }

    [Fact]
    public void Close_without_a_grade_is_rejected()
    {
        var clock = TestData.Clock();
        var active = TestData.Draft(clock).Activate(clock);
        Assert.Equal(nameof(Objective.Grade), TestData.Single(() => active.Close(null!, clock)).Member);
    }

    [Fact]
    public void Grade_override_keeps_who_why_and_the_computed_score()
    {
        var grade = FinalGrade.FromComputed(0.45).Override(0.6, TestData.Alice, "Market collapsed mid-quarter");
        Assert.True(grade.IsOverridden);
        Assert.Equal((0.45, 0.6), (grade.Computed, grade.Value));
        Assert.Equal(TestData.Alice, grade.OverriddenBy);
        Assert.Equal(OkrErrorCodes.Required, TestData.Single(() => FinalGrade.FromComputed(0.45).Override(0.6, TestData.Alice, "")).Code);
        Assert.Equal(OkrErrorCodes.Required, TestData.Single(() => FinalGrade.Create(0.4, 0.6, null, null)).Code);
        Assert.Equal(["Computed", "Value"], TestData.All(() => FinalGrade.FromComputed(1.2)).Select(v => v.Member));
    }

    [Fact]
    public void Equality_is_by_value_including_key_results()
    {
        var clock = TestData.Clock();
        var o = TestData.Draft(clock);
        var same = new Objective(o.Id, o.PeriodId, o.Title, o.Description, o.Owner, o.Kind, o.State, o.Visibility, o.KeyResults.ToList(), o.Alignments.ToList(), o.Version, o.CreatedAt, o.UpdatedAt, o.Grade);
        Assert.Equal(o, same);
        Assert.Equal(o.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(o, o.WithVersion(1));
        Assert.NotEqual(o, o.ReplaceKeyResult(o.KeyResults[0].WithWeight(2), clock));
    }

    public enum Move
    {
        Activate,
        Close,
        Cancel,
        Edit,
    }

    /// <summary>
    /// Any sequence of moves follows the state machine Draft → Active → Closed, Draft/Active → Cancelled:
    /// a legal move reaches the predicted state; an illegal one throws and leaves the objective as it was.
    /// </summary>
    [Property]
    public Property State_machine_allows_exactly_the_legal_transitions() =>
        Prop.ForAll(
            Gen.Elements(Move.Activate, Move.Close, Move.Cancel, Move.Edit).ListOf().ToArbitrary(),
            moves =>
            {
                var clock = TestData.Clock();
                var o = TestData.Draft(clock);
                foreach (var move in moves)
                {
                    clock.Advance(Duration.FromMinutes(1));
                    var expected = Predict(o.State, move);
                    var before = o;
                    try
                    {
                        o = move switch
                        {
                            Move.Activate => o.Activate(clock),
                            Move.Close => o.Close(FinalGrade.FromComputed(0.5), clock),
                            Move.Cancel => o.Cancel(clock),
                            _ => o.WithDescription("edited", clock),
                        };
                        if (expected is null || o.State != expected || o.UpdatedAt != clock.GetCurrentInstant())
                        {
                            return false;
                        }
                    }
                    catch (OkrValidationException ex)
                    {
                        var code = ex.Violations.Single().Code;
                        if (expected is not null || !o.Equals(before) || code is not (OkrErrorCodes.IllegalTransition or OkrErrorCodes.ReadOnlyState))
                        {
                            return false;
                        }
                    }
                }

                return true;
            });

    private static ObjectiveState? Predict(ObjectiveState state, Move move) => (state, move) switch
    {
        (ObjectiveState.Draft, Move.Activate) => ObjectiveState.Active,
        (ObjectiveState.Active, Move.Close) => ObjectiveState.Closed,
        (ObjectiveState.Draft or ObjectiveState.Active, Move.Cancel) => ObjectiveState.Cancelled,
        (ObjectiveState.Draft or ObjectiveState.Active, Move.Edit) => state,
        _ => null,
    };
}
