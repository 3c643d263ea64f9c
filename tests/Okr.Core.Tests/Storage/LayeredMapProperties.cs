using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Storage;

/// <summary>
/// The in-memory store's snapshot map against its definition, a <see cref="Dictionary{TKey, TValue}"/>: any sequence of
/// sets, removals and builder batches, across the folds of the delta into a new base, reads the same; and an older
/// snapshot never sees a later change.
/// </summary>
public class LayeredMapProperties
{
    // An operation: 0 set, 1 remove, 2 a builder batch of sets (Count of them, from Key up). Keys from a small range
    // collide often; batches of up to 700 cross the delta limit (256 over a small base) within one builder.
    private static readonly Gen<(int Kind, int Key, int Count)> Operation =
        from kind in Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Constant(2)))
        from key in Gen.Choose(0, 900)
        from count in Gen.Choose(1, 700)
        select (kind, key, count);

    [Property(MaxTest = 200)]
    public Property Reads_equal_a_dictionarys_after_any_changes() =>
        Prop.ForAll(Operation.ListOf().Select(l => l.ToList()).ToArbitrary(), operations =>
        {
            var map = LayeredMap<int, int>.Empty;
            var model = new Dictionary<int, int>();
            var snapshots = new List<(LayeredMap<int, int> Map, Dictionary<int, int> Model)>();
            var value = 0;
            foreach (var (kind, key, count) in operations)
            {
                switch (kind)
                {
                    case 0:
                        map = map.SetItem(key, ++value);
                        model[key] = value;
                        break;
                    case 1:
                        map = map.Remove(key);
                        model.Remove(key);
                        break;
                    default:
                        var builder = map.ToBuilder();
                        for (var k = key; k < key + count; k++)
                        {
                            builder[k] = builder.GetValueOrDefault(k, 0) + 1;
                            model[k] = model.GetValueOrDefault(k) + 1;
                        }

                        map = builder.ToImmutable();

                        // The builder stays usable after a snapshot, and the snapshot does not see its later writes.
                        var frozen = new Dictionary<int, int>(model);
                        builder[-1] = 1;
                        if (map.ContainsKey(-1) || !builder.ContainsKey(-1))
                        {
                            return false.Label("a builder's write after ToImmutable changed the snapshot");
                        }

                        snapshots.Add((map, frozen));
                        break;
                }

                if (map.DeltaCount > LayeredMap<int, int>.DeltaLimit(map.BaseCount))
                {
                    return false.Label($"a delta of {map.DeltaCount} over {map.Count} entries was not folded");
                }

                snapshots.Add((map, new Dictionary<int, int>(model)));
            }

            foreach (var (snapshot, expected) in snapshots)
            {
                if (!Same(snapshot, expected))
                {
                    return false.Label("a snapshot reads differently from the dictionary of its time");
                }
            }

            return true.ToProperty();
        });

    [Fact]
    public void A_large_delta_is_folded_into_the_base()
    {
        var map = LayeredMap<int, string>.Empty;
        for (var k = 0; k < 10_000; k++)
        {
            map = map.SetItem(k, $"v{k}");
        }

        Assert.Equal(10_000, map.Count);

        // The limit docs/dashboards.md states: a thirty-second of the base, at least 256.
        Assert.Equal((256, 256 + 12_500), (LayeredMap<int, string>.DeltaLimit(0), LayeredMap<int, string>.DeltaLimit(400_000)));
        Assert.True(map.BaseCount > 9_000, "most entries were folded into the base");
        Assert.InRange(map.DeltaCount, 0, LayeredMap<int, string>.DeltaLimit(map.BaseCount));
        Assert.Equal("v9999", map[9_999]);
        Assert.Throws<KeyNotFoundException>(() => map[10_000]);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(k => $"v{k}").Order(), map.Values.Order());

        // Removing every other key leaves tombstones over the base until they too are folded in.
        map = map.RemoveRange(Enumerable.Range(0, 10_000).Where(k => k % 2 == 0));
        Assert.Equal(5_000, map.Count);
        Assert.False(map.ContainsKey(0));
        Assert.Equal("fallback", map.GetValueOrDefault(2, "fallback"));
        Assert.Null(map.GetValueOrDefault(4));
        Assert.Equal(5_000, map.Values.Count());
    }

    private static bool Same(LayeredMap<int, int> map, Dictionary<int, int> model)
    {
        if (map.Count != model.Count || map.Values.Count() != model.Count)
        {
            return false;
        }

        for (var k = -1; k <= 1_700; k++)
        {
            var found = map.TryGetValue(k, out var v);
            if (found != model.TryGetValue(k, out var expected) || (found && v != expected))
            {
                return false;
            }
        }

        return map.Values.Order().SequenceEqual(model.Values.Order());
    }
}
