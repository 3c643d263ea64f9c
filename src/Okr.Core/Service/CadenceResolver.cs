namespace Okr.Core.Service;

/// <summary>
/// Which cadence each key result of a set of objectives follows: its own; its owner's (when it has an owner of its own);
/// its objective's; its objective's owner's; then, through the objective's links in order, the first objective above it
/// (of the same set) with one of its own, its owner's or one inherited in turn; then the tenant's.
/// </summary>
internal sealed class CadenceResolver(IReadOnlyDictionary<ObjectiveId, Objective> objectives, OkrServiceOptions options)
{
    private readonly Dictionary<ObjectiveId, EffectiveCadence?> _byObjective = [];

    public EffectiveCadence? For(Objective objective, KeyResult keyResult)
    {
        if (keyResult.Cadence is { } own)
        {
            return new EffectiveCadence(own, CadenceSource.KeyResult, null, null);
        }

        if (keyResult.Owner is { } owner && OwnerCadence(owner) is { } theirs)
        {
            return new EffectiveCadence(theirs, CadenceSource.Owner, null, owner);
        }

        return ForObjective(objective, []) ?? (options.Cadence is { } tenant ? new EffectiveCadence(tenant, CadenceSource.Tenant, null, null) : null);
    }

    /// <summary>An objective's own, its owner's, or the first one inherited through its links; null when none.</summary>
    private EffectiveCadence? ForObjective(Objective objective, HashSet<ObjectiveId> path)
    {
        if (_byObjective.TryGetValue(objective.Id, out var known))
        {
            return known;
        }

        EffectiveCadence? found = null;
        if (objective.Cadence is { } own)
        {
            found = new EffectiveCadence(own, CadenceSource.Objective, objective.Id, null);
        }
        else if (OwnerCadence(objective.Owner) is { } theirs)
        {
            found = new EffectiveCadence(theirs, CadenceSource.Owner, null, objective.Owner);
        }
        else if (path.Add(objective.Id))
        {
            foreach (var link in objective.Alignments)
            {
                if (objectives.TryGetValue(link.ParentObjectiveId, out var parent) && ForObjective(parent, path) is { } above)
                {
                    found = above.Source == CadenceSource.Owner
                        ? new EffectiveCadence(above.Cadence, CadenceSource.AlignedObjective, parent.Id, above.Owner)
                        : above.Inherited();
                    break;
                }
            }

            path.Remove(objective.Id);
        }

        _byObjective[objective.Id] = found;
        return found;
    }

    private CheckInCadence? OwnerCadence(OwnerRef owner) => options.OwnerCadences?.GetValueOrDefault(owner);

    /// <summary>Adds to <paramref name="known"/> every objective of the period above those it holds, read a level at a time.</summary>
    public static async ValueTask AddAncestorsAsync(Storage.IOkrStore store, TenantId tenant, PeriodId period, Dictionary<ObjectiveId, Objective> known, CancellationToken cancellationToken)
    {
        var next = known.Values.SelectMany(o => o.Alignments).Select(a => a.ParentObjectiveId).Where(id => !known.ContainsKey(id)).ToHashSet();
        while (next.Count > 0)
        {
            var level = await store.GetObjectivesAsync(tenant, [.. next], cancellationToken).ConfigureAwait(false);
            next = [];
            foreach (var o in level.Where(o => o.PeriodId == period && known.TryAdd(o.Id, o)))
            {
                next.UnionWith(o.Alignments.Select(a => a.ParentObjectiveId).Where(id => !known.ContainsKey(id)));
            }
        }
    }
}
