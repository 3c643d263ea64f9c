using NodaTime;

namespace Okr.Core.Service;

/// <summary>One stored version of an objective in its audit trail, with what changed since the version before.</summary>
/// <param name="Objective">The objective as this version stored it.</param>
/// <param name="Changes">What changed since the previous version, one short sentence each; "created" for the first.</param>
public sealed record ObjectiveRevision(Objective Objective, IReadOnlyList<string> Changes)
{
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
    public static IReadOnlyList<string> Compare(Objective? before, Objective after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            return ["created"];
        }

        var changes = new List<string>();
        void Field<T>(string name, T was, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(was, now))
            {
                changes.Add($"{name}: {Show(was)} → {Show(now)}");
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
        changes.AddRange(after.KeyResults.Where(k => !old.ContainsKey(k.Id)).Select(k => $"key result added: {Show(k.Title)}"));
        changes.AddRange(before.KeyResults.Where(k => !now.ContainsKey(k.Id)).Select(k => $"key result removed: {Show(k.Title)}"));
        foreach (var k in after.KeyResults.Where(k => old.TryGetValue(k.Id, out var was) && !was.Equals(k)))
        {
            var was = old[k.Id];
            var what = new List<string>();
            if (was.Title != k.Title)
            {
                what.Add($"title {Show(was.Title)} → {Show(k.Title)}");
            }

            if (!was.Measure.Equals(k.Measure))
            {
                what.Add("measure");
            }

            if (was.Weight != k.Weight)
            {
                what.Add($"weight {was.Weight} → {k.Weight}");
            }

            if (was.IsCancelled != k.IsCancelled)
            {
                what.Add(k.IsCancelled ? "cancelled" : "restored");
            }

            changes.Add($"key result {Show(k.Title)} changed: {(what.Count > 0 ? string.Join(", ", what) : "owner or progress source")}");
        }

        changes.AddRange(after.Alignments.Where(a => !before.Alignments.Any(b => b.HasSameParentAs(a))).Select(a => $"aligned to {a.ParentObjectiveId}"));
        changes.AddRange(before.Alignments.Where(b => !after.Alignments.Any(a => a.HasSameParentAs(b))).Select(b => $"alignment to {b.ParentObjectiveId} removed"));
        changes.AddRange(after.Alignments.Where(a => before.Alignments.Any(b => b.HasSameParentAs(a) && !b.Equals(a))).Select(a => $"alignment to {a.ParentObjectiveId} changed"));
        if (!Equals(before.Grade, after.Grade))
        {
            changes.Add(after.Grade is { } g ? $"graded {g.Value:0.00}{(g.OverriddenBy is { } by ? $" (overridden by {by}: {g.OverrideReason})" : string.Empty)}" : "grade removed");
        }

        return changes;
    }

    private static string Show<T>(T value) => value is string s ? $"'{s}'" : value?.ToString() ?? "none";
}
