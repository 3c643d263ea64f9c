namespace Okr.Core.Service;

/// <summary>
/// One change between two versions of an objective, in data a host can render in its own words and language; its
/// <see cref="ToString"/> is a short English sentence (what the audit trail showed before changes were structured).
/// </summary>
/// <param name="Kind">Created, changed, added or removed.</param>
/// <param name="Member">
/// What changed, as a path: <c>objective</c> (created), <c>title</c>, <c>description</c>, <c>owner</c>, <c>kind</c>,
/// <c>state</c>, <c>visibility</c>, <c>period</c>, <c>keyResults[ID]</c> (added or removed), <c>keyResults[ID].title</c>
/// (also <c>.measure</c>, <c>.weight</c>, <c>.cancelled</c>, <c>.owner</c>, <c>.progressSource</c>),
/// <c>alignments[PARENT-ID]</c>, <c>grade</c>, <c>reopenReason</c> (why it was reopened after its close).
/// </param>
/// <param name="Before">The value before, as invariant text (a title, an enum name, an id, a grade such as <c>0.55</c>); null when there was none.</param>
/// <param name="After">The value after; null when there is none.</param>
public sealed record RevisionChange(RevisionChangeKind Kind, string Member, string? Before = null, string? After = null)
{
    /// <summary>The key result's title, for changes of a key result (so a rendering can name it); null otherwise.</summary>
    public string? Subject { get; init; }

    /// <summary>The change as a short English sentence, for example <c>title: 'Grow' → 'Grow sales'</c> or <c>key result added: 'Open two offices'</c>.</summary>
    /// <returns>The sentence.</returns>
    public override string ToString()
    {
        if (Kind == RevisionChangeKind.Created)
        {
            return "created";
        }

        if (Member.StartsWith("keyResults[", StringComparison.Ordinal))
        {
            var part = Member.IndexOf("].", StringComparison.Ordinal) is var dot and >= 0 ? Member[(dot + 2)..] : null;
            return part is null
                ? $"key result {(Kind == RevisionChangeKind.Added ? "added" : "removed")}: {Quote(Subject)}"
                : $"key result {Quote(Subject)} changed: {part} {Show(part, Before)} → {Show(part, After)}";
        }

        if (Member.StartsWith("alignments[", StringComparison.Ordinal))
        {
            var parent = After ?? Before;
            return Kind switch
            {
                RevisionChangeKind.Added => $"aligned to {parent}",
                RevisionChangeKind.Removed => $"alignment to {parent} removed",
                _ => $"alignment to {parent} changed",
            };
        }

        if (Member == "grade")
        {
            return After is null ? "grade removed" : $"graded {After}";
        }

        if (Member == "reopenReason")
        {
            return $"reopened: {Quote(After)}";
        }

        return $"{Member}: {Show(Member, Before)} → {Show(Member, After)}";
    }

    private static string Show(string member, string? value) =>
        value is null ? "none" : member is "title" or "description" ? Quote(value) : value;

    private static string Quote(string? text) => $"'{text}'";
}
