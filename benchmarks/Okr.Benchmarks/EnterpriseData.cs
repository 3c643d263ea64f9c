using NodaTime;
using NodaTime.Testing;
using Okr.Core;

namespace Okr.Benchmarks;

/// <summary>
/// A synthetic enterprise: N objectives with 4 key results each, in trees of depth 4–6 (ten roots,
/// about ten children per objective), 5 % of objectives with a second parent. The same data is also
/// kept as flat arrays for the hand-written baselines.
/// </summary>
public sealed class EnterpriseData
{
    public const int KeyResultsPerObjective = 4;

    private EnterpriseData(int count)
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var period = new PeriodId(Guid.CreateVersion7(DateTimeOffset.UnixEpoch));
        var owner = OwnerRef.Team("team");
        var random = new Random(20261125);

        // Level sizes 10, 100, 1 000, ... until count is reached: depth 4 at 10k, 5 at 100k, 6 at 1M.
        Level = new int[count];
        var levelStart = new List<int> { 0 };
        var size = 10;
        while (levelStart[^1] + size < count)
        {
            levelStart.Add(levelStart[^1] + size);
            size *= 10;
        }

        levelStart.Add(count);
        ParentA = new int[count];
        ParentB = new int[count];
        Baseline = new decimal[count * KeyResultsPerObjective];
        Target = new decimal[count * KeyResultsPerObjective];
        KrWeight = new double[count * KeyResultsPerObjective];
        Values = new decimal?[count * KeyResultsPerObjective];
        Objectives = new Objective[count];
        var measure = new IncreaseMeasure(0, 100, unit: MeasureUnit.Percent);
        for (var level = 0; level + 1 < levelStart.Count; level++)
        {
            for (var i = levelStart[level]; i < levelStart[level + 1]; i++)
            {
                Level[i] = level;
                ParentA[i] = ParentB[i] = -1;
                if (level > 0)
                {
                    var (from, to) = (levelStart[level - 1], levelStart[level]);
                    ParentA[i] = from + ((i - levelStart[level]) % (to - from));
                    if (random.NextDouble() < 0.05 && to - from > 1)
                    {
                        ParentB[i] = from + ((ParentA[i] - from + 1 + random.Next(to - from - 1)) % (to - from));
                    }
                }
            }
        }

        var ids = new ObjectiveId[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = new ObjectiveId(Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddMilliseconds(i)));
        }

        var titles = Enumerable.Range(0, KeyResultsPerObjective).Select(k => $"Key result {k}").ToArray();
        for (var i = 0; i < count; i++)
        {
            var krs = new KeyResult[KeyResultsPerObjective];
            for (var k = 0; k < KeyResultsPerObjective; k++)
            {
                var flat = (i * KeyResultsPerObjective) + k;
                var weight = k == 0 ? 2.0 : 1.0;
                krs[k] = new KeyResult(new KeyResultId(Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddMilliseconds(flat))), titles[k], measure, weight);
                Baseline[flat] = 0;
                Target[flat] = 100;
                KrWeight[flat] = weight;
                var hasValue = random.NextDouble() < 0.9;
                var value = random.Next(0, 12_000) / 100m;
                Values[flat] = hasValue ? value : null;
            }

            var links = ParentA[i] < 0 ? Array.Empty<AlignmentLink>()
                : ParentB[i] < 0 ? [new AlignmentLink(ids[ParentA[i]])]
                : [new AlignmentLink(ids[ParentA[i]]), new AlignmentLink(ids[ParentB[i]])];
            Objectives[i] = Objective.Create(ids[i], period, "Objective", owner, clock, keyResults: krs, alignments: links);
        }

        Depth = levelStart.Count - 1;
    }

    public Objective[] Objectives { get; }

    public int[] Level { get; }

    public int Depth { get; }

    public int[] ParentA { get; }

    public int[] ParentB { get; }

    public decimal[] Baseline { get; }

    public decimal[] Target { get; }

    public double[] KrWeight { get; }

    public decimal?[] Values { get; }

    private static readonly Dictionary<int, EnterpriseData> Cache = [];

    public static EnterpriseData Of(int count)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(count, out var data))
            {
                Cache[count] = data = new EnterpriseData(count);
            }

            return data;
        }
    }
}
