using System.Collections.Immutable;

namespace Okr.Core.Storage;

/// <summary>
/// Objectives in id order, immutable, for the in-memory store's listings: the tenant's, and one per period. Unlike a
/// sorted dictionary it finds a position by id, so a page after an id starts there instead of at the first objective.
/// Every change and every seek costs O(log n); a walk costs what it yields.
/// </summary>
internal sealed class SortedObjectives
{
    /// <summary>No objectives.</summary>
    public static readonly SortedObjectives Empty = new(ImmutableList<Objective>.Empty);

    private static readonly Comparer<Objective> ById = Comparer<Objective>.Create(static (a, b) => a.Id.CompareTo(b.Id));

    private readonly ImmutableList<Objective> _items;

    private SortedObjectives(ImmutableList<Objective> items) => _items = items;

    /// <summary>The number of objectives.</summary>
    public int Count => _items.Count;

    /// <summary>This set with <paramref name="objective"/> in it, replacing the one of its id.</summary>
    public SortedObjectives Set(Objective objective)
    {
        var at = _items.BinarySearch(objective, ById);
        return new(at >= 0 ? _items.SetItem(at, objective) : _items.Insert(~at, objective));
    }

    /// <summary>This set without the objective of <paramref name="objective"/>'s id (unchanged when it has none).</summary>
    public SortedObjectives Remove(Objective objective)
    {
        var at = _items.BinarySearch(objective, ById);
        return at >= 0 ? new(_items.RemoveAt(at)) : this;
    }

    /// <summary>The objectives in id order, from the first whose id is above <paramref name="after"/> (from the first when null).</summary>
    public IEnumerable<Objective> After(ObjectiveId? after)
    {
        if (after is not { } id)
        {
            foreach (var o in _items)
            {
                yield return o;
            }

            yield break;
        }

        // The first position whose id is above: a binary search over positions (each read O(log n)).
        var (low, high) = (0, _items.Count);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_items[middle].Id.CompareTo(id) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (var i = low; i < _items.Count; i++)
        {
            yield return _items[i];
        }
    }
}
