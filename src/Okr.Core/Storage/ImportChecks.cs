using Okr.Core.Alignment;
using Okr.Core.Serialization;

namespace Okr.Core.Storage;

/// <summary>
/// What every import must hold, whoever imports: no id twice in one document, every link resolving within the
/// document or the store, and no cycle in the alignment graph the import would leave behind. Stores apply it inside
/// their import transaction; the facade applies it with the business rules before it commits.
/// </summary>
internal static class ImportChecks
{
    /// <summary>The stored objectives an import's links reach, walked upward from the document's parents.</summary>
    /// <param name="document">The document.</param>
    /// <param name="load">Reads stored objectives by id (absent ids are left out).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The violations, each with its JSON path, and the stored objectives that were read (not replaced by the document).</returns>
    public static async ValueTask<(List<OkrViolation> Violations, Dictionary<ObjectiveId, Objective> Stored)> CheckAsync(
        OkrDocument document,
        Func<IReadOnlyCollection<ObjectiveId>, CancellationToken, ValueTask<IReadOnlyList<Objective>>> load,
        CancellationToken cancellationToken)
    {
        var violations = Duplicates(document);
        var inDocument = new Dictionary<ObjectiveId, Objective>(document.Objectives.Count);
        foreach (var o in document.Objectives)
        {
            inDocument.TryAdd(o.Id, o);
        }

        // Walk up through the store from every parent the document names and does not hold itself.
        var stored = new Dictionary<ObjectiveId, Objective>();
        var asked = new HashSet<ObjectiveId>();
        var next = ParentsOutside(document.Objectives, inDocument, asked);
        while (next.Count > 0)
        {
            var found = await load(next, cancellationToken).ConfigureAwait(false);
            foreach (var o in found)
            {
                stored[o.Id] = o;
            }

            next = ParentsOutside(found, inDocument, asked);
        }

        for (var i = 0; i < document.Objectives.Count; i++)
        {
            var objective = document.Objectives[i];
            for (var j = 0; j < objective.Alignments.Count; j++)
            {
                var link = objective.Alignments[j];
                var path = $"$.objectives[{i}].alignments[{j}]";
                var parent = inDocument.GetValueOrDefault(link.ParentObjectiveId) ?? stored.GetValueOrDefault(link.ParentObjectiveId);
                if (parent is null)
                {
                    violations.Add(new OkrViolation(OkrErrorCodes.AlignmentTargetMissing, path + ".parentObjectiveId", $"The parent objective {link.ParentObjectiveId} is neither in the document nor stored."));
                }
                else if (link.ParentKeyResultId is { } kr && parent.FindKeyResult(kr) is null)
                {
                    violations.Add(new OkrViolation(OkrErrorCodes.AlignmentTargetMissing, path + ".parentKeyResultId", $"The parent objective {parent.Id} has no key result {kr}."));
                }
            }
        }

        if (violations.Count == 0)
        {
            try
            {
                // The graph the import leaves: the document's objectives, and the stored ones it does not replace.
                _ = AlignmentGraph.Build([.. inDocument.Values, .. stored.Values.Where(o => !inDocument.ContainsKey(o.Id))]);
            }
            catch (OkrValidationException ex) when (ex.Violations.Any(v => v.Code == OkrErrorCodes.AlignmentCycle))
            {
                violations.AddRange(ex.Violations.Select(v => v with { Member = "$.objectives" }));
            }
        }

        return (violations, stored);
    }

    /// <summary>Turns a model member (<c>KeyResults[0].Title</c>) into the JSON path under <paramref name="prefix"/>.</summary>
    public static string Path(string prefix, string member) =>
        member.Length == 0 ? prefix : prefix + "." + string.Join('.', member.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));

    private static List<OkrViolation> Duplicates(OkrDocument document)
    {
        var violations = new List<OkrViolation>();
        void Once<T>(IEnumerable<T> ids, Func<int, string> path, string what)
            where T : notnull
        {
            var seen = new Dictionary<T, int>();
            var i = 0;
            foreach (var id in ids)
            {
                if (!seen.TryAdd(id, i))
                {
                    violations.Add(new OkrViolation(OkrErrorCodes.DuplicateId, path(i), $"{what} {id} appears more than once in the document (first at {path(seen[id])})."));
                }

                i++;
            }
        }

        Once(document.Periods.Select(p => p.Id), i => $"$.periods[{i}].id", "Period");
        Once(document.Objectives.Select(o => o.Id), i => $"$.objectives[{i}].id", "Objective");
        var keyResultPaths = document.Objectives.SelectMany((o, i) => o.KeyResults.Select((k, j) => (k.Id, Path: $"$.objectives[{i}].keyResults[{j}].id"))).ToList();
        Once(keyResultPaths.Select(k => k.Id), i => keyResultPaths[i].Path, "Key result");
        Once(document.CheckIns.Select(c => c.Id), i => $"$.checkIns[{i}].id", "Check-in");
        return violations;
    }

    private static List<ObjectiveId> ParentsOutside(IEnumerable<Objective> objectives, Dictionary<ObjectiveId, Objective> inDocument, HashSet<ObjectiveId> asked)
    {
        var parents = new List<ObjectiveId>();
        foreach (var o in objectives)
        {
            foreach (var link in o.Alignments)
            {
                if (!inDocument.ContainsKey(link.ParentObjectiveId) && asked.Add(link.ParentObjectiveId))
                {
                    parents.Add(link.ParentObjectiveId);
                }
            }
        }

        return parents;
    }
}
