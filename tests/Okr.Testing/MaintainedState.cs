using NodaTime;
using Okr.Core;
using Okr.Core.Storage;

namespace Okr.Testing;

/// <summary>
/// Data for the upgrade to schema 7, which fills the maintained state (current values, the alignment index) from what
/// a store already holds: a small alignment tree and histories with corrections, written through a store, then
/// checked against the definitions after the tables are rebuilt by the migration.
/// </summary>
public sealed class MaintainedState
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);

    private MaintainedState(TenantId tenant, OkrPeriod period, IReadOnlyList<Objective> objectives, IReadOnlyList<CheckIn> checkIns)
    {
        Tenant = tenant;
        Period = period;
        Objectives = objectives;
        CheckIns = checkIns;
    }

    /// <summary>The tenant written.</summary>
    public TenantId Tenant { get; }

    /// <summary>The period.</summary>
    public OkrPeriod Period { get; }

    /// <summary>The objectives: a root, two children, a grandchild.</summary>
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>Every check-in written.</summary>
    public IReadOnlyList<CheckIn> CheckIns { get; }

    /// <summary>Writes the data through a store.</summary>
    /// <param name="store">The store.</param>
    /// <returns>What was written.</returns>
    public static async Task<MaintainedState> SeedAsync(IOkrStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var tenant = new TenantId(Guid.NewGuid());
        var clock = new NodaTime.Testing.FakeClock(Start);
        var period = await store.SavePeriodAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1), 0);
        Objective Make(string title, params AlignmentLink[] links) => Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, title, OwnerRef.Team("t"), clock, keyResults:
            [new KeyResult(new KeyResultId(Guid.NewGuid()), "A", new IncreaseMeasure(0m, 100m)), new KeyResult(new KeyResultId(Guid.NewGuid()), "B", new IncreaseMeasure(0m, 100m))], alignments: links);
        var root = Make("Root");
        var left = Make("Left", new AlignmentLink(root.Id));
        var right = Make("Right", new AlignmentLink(root.Id, root.KeyResults[0].Id));
        var leaf = Make("Leaf", new AlignmentLink(left.Id), new AlignmentLink(right.Id, kind: AlignmentKind.Supports));
        var objectives = new List<Objective>();
        foreach (var o in new[] { root, left, right, leaf })
        {
            objectives.Add(await store.SaveObjectiveAsync(tenant, o, 0));
        }

        var checkIns = new List<CheckIn>();
        var random = new Random(11);
        foreach (var kr in objectives.SelectMany(o => o.KeyResults).Skip(1))
        {
            for (var day = 0; day < 5; day++)
            {
                var c = new CheckIn(new CheckInId(Guid.NewGuid()), kr.Id, random.Next(0, 100), OwnerRef.Person("p"), Start + Duration.FromDays(day * 3), Start + Duration.FromDays((day * 3) + random.Next(0, 4)));
                checkIns.Add(c);
                if (random.Next(3) == 0)
                {
                    checkIns.Add(new CheckIn(new CheckInId(Guid.NewGuid()), kr.Id, random.Next(0, 100), OwnerRef.Person("q"), c.EffectiveAt, c.RecordedAt + Duration.FromHours(5), corrects: c.Id));
                }
            }
        }

        await store.AppendCheckInsAsync(tenant, checkIns);
        return new MaintainedState(tenant, period, objectives, checkIns);
    }

    /// <summary>Compares a store's maintained state with the definitions.</summary>
    /// <param name="store">The store, after the upgrade.</param>
    /// <returns>Each difference, described; empty when none.</returns>
    public async Task<IReadOnlyList<string>> DifferencesAsync(IOkrStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var differences = new List<string>();
        var krs = Objectives.SelectMany(o => o.KeyResults).Select(k => k.Id).ToList();
        var now = Start + Duration.FromDays(30);
        var current = await store.GetCurrentValuesAsync(Tenant, krs, now);
        foreach (var kr in krs)
        {
            var history = CheckIns.Where(c => c.KeyResultId == kr).ToList();
            var value = current.GetValueOrDefault(kr);
            if (history.Count == 0 ? value is not null : value is null || !Equals(value.InForce, CheckInHistory.AsOf(history, now)) || value.LastRecordedAt != history.Max(c => c.RecordedAt))
            {
                differences.Add($"key result {kr}: {value}");
            }
        }

        var root = Objectives[0].Id;
        var subtree = new List<ObjectiveId>();
        await foreach (var o in store.ListSubtreesAsync(Tenant, Period.Id, [Objectives[1].Id]))
        {
            subtree.Add(o.Id);
        }

        if (!subtree.SequenceEqual(new[] { Objectives[1].Id, Objectives[3].Id }.Order()))
        {
            differences.Add($"subtree of Left: {string.Join(", ", subtree)}");
        }

        var all = 0;
        await foreach (var o in store.ListSubtreesAsync(Tenant, Period.Id, [root]))
        {
            all++;
        }

        if (all != Objectives.Count)
        {
            differences.Add($"subtree of Root has {all} objectives");
        }

        return differences;
    }
}
