using System.Globalization;
using NodaTime;

namespace Okr.Core.Service;

/// <summary>One stored version of an objective in its audit trail, with what changed since the version before.</summary>
public sealed class ObjectiveRevision
{
    internal ObjectiveRevision(Objective objective, IReadOnlyList<RevisionChange> changes)
    {
        Objective = objective;
        Changes = changes;
    }

    /// <summary>The objective as this version stored it.</summary>
    public Objective Objective { get; }

    /// <summary>What changed since the previous version, one entry per member; a single <see cref="RevisionChangeKind.Created"/> for the first.</summary>
    public IReadOnlyList<RevisionChange> Changes { get; }

    /// <summary>The version number.</summary>
    public long Version => Objective.Version;

    /// <summary>When the change was made.</summary>
    public Instant At => Objective.UpdatedAt;

    /// <summary>Who made the change; null for the system or unknown.</summary>
    public OwnerRef? By => Objective.UpdatedBy;

    /// <summary>Lists what changed from <paramref name="before"/> to <paramref name="after"/>.</summary>
    /// <param name="before">The previous version, or null for the first.</param>
    /// <param name="after">The version.</param>
    /// <returns>The changes, in a stable order: fields, then key results, then alignments, then the grade.</returns>
    public static IReadOnlyList<RevisionChange> Compare(Objective? before, Objective after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            return [new RevisionChange(RevisionChangeKind.Created, "objective")];
        }

        var changes = new List<RevisionChange>();
        void Field<T>(string member, T was, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(was, now))
            {
                changes.Add(new RevisionChange(RevisionChangeKind.Changed, member, Text(was), Text(now)));
            }
        }

        Field("title", before.Title, after.Title);
        Field("description", before.Description, after.Description);
        Field("owner", before.Owner, after.Owner);
        Field("kind", before.Kind, after.Kind);
        Field("state", before.State, after.State);
        Field("visibility", before.Visibility, after.Visibility);
        Field("period", before.PeriodId, after.PeriodId);

        var old = before.KeyResults.ToDictionary(k => k.Id);
        var now = after.KeyResults.ToDictionary(k => k.Id);
        changes.AddRange(after.KeyResults.Where(k => !old.ContainsKey(k.Id)).Select(k => new RevisionChange(RevisionChangeKind.Added, $"keyResults[{k.Id}]", null, k.Title) { Subject = k.Title }));
        changes.AddRange(before.KeyResults.Where(k => !now.ContainsKey(k.Id)).Select(k => new RevisionChange(RevisionChangeKind.Removed, $"keyResults[{k.Id}]", k.Title, null) { Subject = k.Title }));
        foreach (var k in after.KeyResults.Where(k => old.TryGetValue(k.Id, out var was) && !was.Equals(k)))
        {
            var was = old[k.Id];
            var member = $"keyResults[{k.Id}]";
            var before1 = changes.Count;
            void Part(string name, string? from, string? to) => changes.Add(new RevisionChange(RevisionChangeKind.Changed, $"{member}.{name}", from, to) { Subject = k.Title });
            if (was.Title != k.Title)
            {
                Part("title", was.Title, k.Title);
            }

            if (!was.Measure.Equals(k.Measure))
            {
                Part("measure", was.Measure.GetType().Name, k.Measure.GetType().Name);
            }

            if (was.Weight != k.Weight)
            {
                Part("weight", Text(was.Weight), Text(k.Weight));
            }

            if (was.IsCancelled != k.IsCancelled)
            {
                Part("cancelled", Text(was.IsCancelled), Text(k.IsCancelled));
            }

            if (was.Owner != k.Owner)
            {
                Part("owner", Text(was.Owner), Text(k.Owner));
            }

            if (changes.Count == before1)
            {
                Part("progressSource", Text(was.ProgressSource), Text(k.ProgressSource));
            }
        }

        changes.AddRange(after.Alignments.Where(a => !before.Alignments.Any(b => b.HasSameParentAs(a))).Select(a => new RevisionChange(RevisionChangeKind.Added, $"alignments[{a.ParentObjectiveId}]", null, a.ParentObjectiveId.ToString())));
        changes.AddRange(before.Alignments.Where(b => !after.Alignments.Any(a => a.HasSameParentAs(b))).Select(b => new RevisionChange(RevisionChangeKind.Removed, $"alignments[{b.ParentObjectiveId}]", b.ParentObjectiveId.ToString(), null)));
        changes.AddRange(after.Alignments.Where(a => before.Alignments.Any(b => b.HasSameParentAs(a) && !b.Equals(a))).Select(a => new RevisionChange(RevisionChangeKind.Changed, $"alignments[{a.ParentObjectiveId}]", a.ParentObjectiveId.ToString(), a.ParentObjectiveId.ToString())));
        if (!Equals(before.Grade, after.Grade))
        {
            changes.Add(new RevisionChange(after.Grade is null ? RevisionChangeKind.Removed : before.Grade is null ? RevisionChangeKind.Added : RevisionChangeKind.Changed, "grade", Grade(before.Grade), Grade(after.Grade)));
        }

        if (before.ReopenReason != after.ReopenReason)
        {
            changes.Add(new RevisionChange(before.ReopenReason is null ? RevisionChangeKind.Added : RevisionChangeKind.Changed, "reopenReason", before.ReopenReason, after.ReopenReason));
        }

        return changes;
    }

    private static string? Text<T>(T value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string? Grade(FinalGrade? grade) =>
        grade is null ? null : grade.Value.ToString("0.00", CultureInfo.InvariantCulture) + (grade.OverriddenBy is { } by ? $" (overridden by {by}: {grade.OverrideReason})" : string.Empty);
}
