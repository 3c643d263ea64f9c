using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Okr.Core;
using Okr.Core.Scoring;

namespace Okr.Testing;

/// <summary>A random alignment forest with values for its key results.</summary>
/// <param name="Objectives">The objectives, in shuffled order; links only point to objectives made earlier, so there is no cycle.</param>
/// <param name="Values">A value (or none) for each key result.</param>
public sealed record RandomDag(IReadOnlyList<Objective> Objectives, IReadOnlyDictionary<KeyResultId, decimal> Values)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Objectives.Count} objectives, {Objectives.Sum(o => o.Alignments.Count)} links, {Values.Count} values";
}

/// <summary>Generators of random alignment graphs and scoring set-ups.</summary>
public static class AlignmentGen
{
    private static readonly IClock Clock = NodaTime.Testing.FakeClock.FromUtc(2026, 1, 5);
    private static readonly PeriodId Period = new(Guid.Parse("0192f0a1-0000-7000-8000-000000000001"));

    /// <summary>Every combination of the built-in policies, roll-ups and sources.</summary>
    public static Gen<OkrScoring> Scoring { get; } =
        from policy in Gen.Elements<IScoringPolicy>(LinearScoringPolicy.Default, SteppedScoringPolicy.Default, GoogleGradingPolicy.Instance, new LinearScoringPolicy(1.25))
        from rollup in Gen.Elements<IRollupPolicy>(WeightedMeanRollup.Default, new WeightedMeanRollup(NoDataRule.LeaveOut), new WeakestRollup(), new WeakestRollup(NoDataRule.LeaveOut))
        from source in Gen.Elements(RollupSource.KeyResults, RollupSource.AlignedObjectives, RollupSource.Blend(0.5), RollupSource.Blend(0.2))
        select new OkrScoring(policy, rollup, source);

    /// <summary>A random forest of up to <paramref name="maxObjectives"/> objectives.</summary>
    /// <param name="maxObjectives">The most objectives.</param>
    /// <returns>The generator.</returns>
    public static Gen<RandomDag> Dag(int maxObjectives = 30) =>
        from n in Gen.Choose(1, maxObjectives)
        from specs in Gen.ListOf(Spec, n)
        from seed in Gen.Choose(0, int.MaxValue)
        select Make(specs.ToList(), seed);

    private sealed record ObjectiveSpec(int KeyResults, int Derived, int Parents, bool Cancelled, int[] Picks, double[] Weights, bool[] Supports, bool[] ToKeyResult, int?[] Values);

    private static readonly Gen<ObjectiveSpec> Spec =
        from krs in Gen.Choose(0, 4)
        from derived in Gen.Choose(0, 1)
        from parents in Gen.Frequency((5, Gen.Constant(0)), (10, Gen.Constant(1)), (2, Gen.Constant(2)))
        from cancelled in Gen.Frequency((12, Gen.Constant(false)), (1, Gen.Constant(true)))
        from picks in Gen.ArrayOf(Gen.Choose(0, int.MaxValue), 2)
        from weights in Gen.ArrayOf(Gen.Elements(1.0, 1.0, 2.0, 0.5, 0.0), 2)
        from supports in Gen.ArrayOf(Gen.Frequency((8, Gen.Constant(false)), (1, Gen.Constant(true))), 2)
        from toKr in Gen.ArrayOf(Gen.Elements(false, false, true), 2)
        from values in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Choose(-20, 140).Select(i => (int?)i))), 5)
        select new ObjectiveSpec(krs, derived, parents, cancelled, picks, weights, supports, toKr, values);

    private static RandomDag Make(List<ObjectiveSpec> specs, int seed)
    {
        var made = new List<Objective>();
        var values = new Dictionary<KeyResultId, decimal>();
        for (var i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            var id = new ObjectiveId(Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddSeconds(i)));
            var krs = new List<KeyResult>();
            for (var k = 0; k < s.KeyResults + s.Derived; k++)
            {
                var derived = k >= s.KeyResults;
                var kr = new KeyResult(new KeyResultId(Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddSeconds(i).AddMilliseconds(k + 1))), $"KR {i}.{k}", new IncreaseMeasure(0, 100), weight: k == 1 ? 2 : 1, progressSource: derived ? ProgressSource.FromAlignedObjectives : ProgressSource.Measured, isCancelled: k == 3);
                krs.Add(kr);
                if (!derived && s.Values[k] is { } v)
                {
                    values[kr.Id] = v;
                }
            }

            var links = new List<AlignmentLink>();
            for (var l = 0; l < s.Parents && i > 0; l++)
            {
                var parent = made[s.Picks[l] % made.Count];
                KeyResultId? target = s.ToKeyResult[l] && parent.KeyResults.Count > 0 ? parent.KeyResults[s.Picks[l] % parent.KeyResults.Count].Id : null;
                var link = new AlignmentLink(parent.Id, target, s.Weights[l], s.Supports[l] ? AlignmentKind.Supports : AlignmentKind.Contributes);
                if (!links.Any(x => x.HasSameParentAs(link)))
                {
                    links.Add(link);
                }
            }

            var objective = Objective.Create(id, Period, $"Objective {i}", OwnerRef.Team($"team-{i % 4}"), Clock, keyResults: krs, alignments: links);
            made.Add(s.Cancelled ? objective.Cancel(Clock) : objective);
        }

        var random = new Random(seed);
        return new RandomDag([.. made.OrderBy(_ => random.Next())], values);
    }
}
