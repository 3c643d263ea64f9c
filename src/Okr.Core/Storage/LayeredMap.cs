using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Okr.Core.Storage;

/// <summary>
/// An immutable map for the in-memory store's snapshots, tuned for reads of large tenants: a hash table that is never
/// changed once built (the base), under a small persistent map of the changes made since (the delta). A lookup is one
/// probe of the delta, usually empty, and one hash probe of the base, where an <see cref="ImmutableDictionary{TKey, TValue}"/>
/// of 400,000 entries walks a tree at least 19 levels deep (log₂ 400,000), each node a cache miss in a large heap.
/// </summary>
/// <remarks>
/// A change copies nothing but the delta's path. When the delta outgrows <see cref="DeltaLimit"/> (a thirty-second of
/// the base, at least 256), the next snapshot folds it into a new base: a write pays for about 32 entry copies on
/// average, and a lookup never searches a delta larger than that fraction. Snapshots share their base, which nobody
/// writes to after it is published, so concurrent readers need no lock.
/// </remarks>
internal sealed class LayeredMap<TKey, TValue>
    where TKey : notnull
{
    /// <summary>The empty map.</summary>
    public static readonly LayeredMap<TKey, TValue> Empty = new([], ImmutableDictionary<TKey, Slot>.Empty, 0);

    private readonly Dictionary<TKey, TValue> _base;
    private readonly ImmutableDictionary<TKey, Slot> _delta;

    private LayeredMap(Dictionary<TKey, TValue> @base, ImmutableDictionary<TKey, Slot> delta, int count)
    {
        _base = @base;
        _delta = delta;
        Count = count;
    }

    /// <summary>The number of keys.</summary>
    public int Count { get; }

    /// <summary>How many changes the delta over a base of <paramref name="baseCount"/> entries holds before it is folded in.</summary>
    internal static int DeltaLimit(int baseCount) => 256 + (baseCount / 32);

    /// <summary>The number of changes above the base (for tests of the folding rule).</summary>
    internal int DeltaCount => _delta.Count;

    /// <summary>The number of entries in the base (for tests of the folding rule).</summary>
    internal int BaseCount => _base.Count;

    /// <summary>The value of <paramref name="key"/>; throws when it is missing.</summary>
    public TValue this[TKey key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException();

    /// <summary>Looks <paramref name="key"/> up.</summary>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_delta.Count != 0 && _delta.TryGetValue(key, out var slot))
        {
            value = slot.Value;
            return slot.Present;
        }

        return _base.TryGetValue(key, out value);
    }

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    /// <summary>The value of <paramref name="key"/>, or the default.</summary>
    public TValue? GetValueOrDefault(TKey key) => TryGetValue(key, out var value) ? value : default;

    /// <summary>The value of <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    public TValue GetValueOrDefault(TKey key, TValue fallback) => TryGetValue(key, out var value) ? value : fallback;

    /// <summary>Every value, in no particular order.</summary>
    public IEnumerable<TValue> Values
    {
        get
        {
            foreach (var (key, value) in _base)
            {
                if (!_delta.ContainsKey(key))
                {
                    yield return value;
                }
            }

            foreach (var (_, slot) in _delta)
            {
                if (slot.Present)
                {
                    yield return slot.Value;
                }
            }
        }
    }

    /// <summary>This map with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public LayeredMap<TKey, TValue> SetItem(TKey key, TValue value) =>
        With(_delta.SetItem(key, new Slot(true, value)), ContainsKey(key) ? Count : Count + 1);

    /// <summary>This map without <paramref name="key"/>.</summary>
    public LayeredMap<TKey, TValue> Remove(TKey key)
    {
        if (!ContainsKey(key))
        {
            return this;
        }

        // A key of the base is hidden by a tombstone; one only in the delta just leaves it.
        var delta = _base.ContainsKey(key) ? _delta.SetItem(key, new Slot(false, default!)) : _delta.Remove(key);
        return With(delta, Count - 1);
    }

    /// <summary>This map without any of <paramref name="keys"/>.</summary>
    public LayeredMap<TKey, TValue> RemoveRange(IEnumerable<TKey> keys)
    {
        var map = this;
        foreach (var key in keys)
        {
            map = map.Remove(key);
        }

        return map;
    }

    /// <summary>A mutable copy for a batch of changes; <see cref="Builder.ToImmutable"/> makes the next snapshot.</summary>
    public Builder ToBuilder() => new(this);

    private LayeredMap<TKey, TValue> With(ImmutableDictionary<TKey, Slot> delta, int count) =>
        delta.Count > DeltaLimit(_base.Count) ? new(Fold(_base, delta), ImmutableDictionary<TKey, Slot>.Empty, count) : new(_base, delta, count);

    private static Dictionary<TKey, TValue> Fold(Dictionary<TKey, TValue> @base, IEnumerable<KeyValuePair<TKey, Slot>> delta)
    {
        var folded = new Dictionary<TKey, TValue>(@base, @base.Comparer);
        foreach (var (key, slot) in delta)
        {
            if (slot.Present)
            {
                folded[key] = slot.Value;
            }
            else
            {
                folded.Remove(key);
            }
        }

        return folded;
    }

    /// <summary>A change above the base: a value, or a tombstone for a key of the base that was removed.</summary>
    private readonly record struct Slot(bool Present, TValue Value);

    /// <summary>
    /// A batch of changes to one snapshot. Small batches go into a builder of the delta; once the delta outgrows its
    /// limit the builder copies the base once and writes into that copy directly (an import of 400,000 entries is one
    /// copy, not a delta of 400,000).
    /// </summary>
    public sealed class Builder
    {
        private Dictionary<TKey, TValue> _base;
        private ImmutableDictionary<TKey, Slot>.Builder? _delta;
        private Dictionary<TKey, TValue>? _owned;
        private int _count;

        internal Builder(LayeredMap<TKey, TValue> map)
        {
            _base = map._base;
            _delta = map._delta.ToBuilder();
            _count = map.Count;
        }

        /// <summary>The value of <paramref name="key"/>; setting it adds or replaces it.</summary>
        public TValue this[TKey key]
        {
            get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException();
            set
            {
                if (_owned is { } owned)
                {
                    owned[key] = value;
                    return;
                }

                if (!ContainsKey(key))
                {
                    _count++;
                }

                _delta![key] = new Slot(true, value);
                if (_delta.Count > DeltaLimit(_base.Count))
                {
                    _owned = Fold(_base, _delta);
                    _delta = null;
                }
            }
        }

        /// <summary>Looks <paramref name="key"/> up.</summary>
        public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
        {
            if (_owned is { } owned)
            {
                return owned.TryGetValue(key, out value);
            }

            if (_delta!.Count != 0 && _delta.TryGetValue(key, out var slot))
            {
                value = slot.Value;
                return slot.Present;
            }

            return _base.TryGetValue(key, out value);
        }

        /// <summary>Whether <paramref name="key"/> is present.</summary>
        public bool ContainsKey(TKey key) => TryGetValue(key, out _);

        /// <summary>The value of <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
        public TValue GetValueOrDefault(TKey key, TValue fallback) => TryGetValue(key, out var value) ? value : fallback;

        /// <summary>The next snapshot. The builder stays usable: a copy it owned becomes the snapshot's base, which it never writes again.</summary>
        public LayeredMap<TKey, TValue> ToImmutable()
        {
            if (_owned is not { } owned)
            {
                return new(_base, _delta!.ToImmutable(), _count);
            }

            _base = owned;
            _owned = null;
            _delta = ImmutableDictionary<TKey, Slot>.Empty.ToBuilder();
            _count = owned.Count;
            return new(owned, ImmutableDictionary<TKey, Slot>.Empty, owned.Count);
        }
    }
}
