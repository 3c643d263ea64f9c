using Okr.Core.Service;

namespace Okr.Core.Tests.Service;

/// <summary>What changed between two versions, as data (member, before, after) and as the sentence that renders it.</summary>
public class RevisionChangeTests
{
    [Fact]
    public void Key_result_parts_alignments_and_an_overridden_grade_are_each_one_change()
    {
        var clock = TestData.Clock();
        var (a, b) = (new ObjectiveId(Guid.NewGuid()), new ObjectiveId(Guid.NewGuid()));
        var before = TestData.Draft(clock).WithAlignments([new AlignmentLink(a)], clock).Activate(clock);
        var kr = before.KeyResults[0];
        var after = before
            .WithKeyResults([kr.WithTitle("Signed deals").WithWeight(2), .. before.KeyResults.Skip(1)], clock)
            .WithAlignments([new AlignmentLink(b)], clock)
            .Close(FinalGrade.Create(0.4, 0.55, OwnerRef.Person("ann"), "late deal"), clock);

        var changes = ObjectiveRevision.Compare(before, after);

        Assert.Equal(
            [
                new RevisionChange(RevisionChangeKind.Changed, "state", "Active", "Closed"),
                new RevisionChange(RevisionChangeKind.Changed, $"keyResults[{kr.Id}].title", kr.Title, "Signed deals") { Subject = "Signed deals" },
                new RevisionChange(RevisionChangeKind.Changed, $"keyResults[{kr.Id}].weight", "1", "2") { Subject = "Signed deals" },
                new RevisionChange(RevisionChangeKind.Added, $"alignments[{b}]", null, b.ToString()),
                new RevisionChange(RevisionChangeKind.Removed, $"alignments[{a}]", a.ToString(), null),
                new RevisionChange(RevisionChangeKind.Added, "grade", null, "0.55 (overridden by person:ann: late deal)"),
            ],
            changes);
        Assert.Equal(
            [
                "state: Active → Closed",
                $"key result 'Signed deals' changed: title '{kr.Title}' → 'Signed deals'",
                "key result 'Signed deals' changed: weight 1 → 2",
                $"aligned to {b}",
                $"alignment to {a} removed",
                "graded 0.55 (overridden by person:ann: late deal)",
            ],
            changes.Select(c => c.ToString()));
    }
}
