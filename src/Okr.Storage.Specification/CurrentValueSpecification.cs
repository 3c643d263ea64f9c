using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

// The state a store maintains for scoped reads: each key result's current value (held equal to CheckInHistory.AsOf
// after any appends and corrections, across instances and imports) and the alignment index behind
// IOkrStore.ListSubtreesAsync.
public abstract partial class OkrStoreSpecification
{
    /// <summary>
    /// After any sequence of appends (batches, retries, corrections of corrections, back-dated and late check-ins), the
    /// current values equal the definition for every key result: the check-in in force at the end and at instants in the
    /// middle of the histories (where a later value must not leak back), and the latest recorded instant. Twenty seeded
    /// random sequences, checked after every batch.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Current_values_equal_the_definition_after_any_appends_and_corrections() => WithStore(async store =>
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            var tenant = NewTenant();
            var krs = Enumerable.Range(0, 3).Select(_ => new KeyResultId(Guid.NewGuid())).ToList();
            var all = new List<CheckIn>();
            for (var batch = 0; batch < 12; batch++)
            {
                var checkIns = new List<CheckIn>();
                for (var i = random.Next(1, 5); i > 0; i--)
                {
                    checkIns.Add(RandomCheckIn(random, krs, all.Concat(checkIns).ToList()));
                }

                await store.AppendCheckInsAsync(tenant, checkIns);
                all.AddRange(checkIns.Where(c => !all.Exists(a => a.Id == c.Id)).DistinctBy(c => c.Id));
                await AssertCurrentAsync(store, tenant, krs, all, $"seed {seed}, batch {batch}", random);
            }
        }
    });

    /// <summary>
    /// A key result asked for twice (and one no check-in has named) is answered once each, as when asked once: stores
    /// read what they are given without first taking duplicates out.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Current_values_answer_a_key_asked_twice_once() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var krs = Enumerable.Range(0, 2).Select(_ => new KeyResultId(Guid.NewGuid())).ToList();
        var random = new Random(11);
        var all = new List<CheckIn>();
        for (var i = 0; i < 6; i++)
        {
            all.Add(RandomCheckIn(random, [krs[i % 2]], all));
        }

        await store.AppendCheckInsAsync(tenant, all);
        var never = new KeyResultId(Guid.NewGuid());
        var at = Start + Duration.FromDays(60);
        var once = await store.GetCurrentValuesAsync(tenant, [krs[0], krs[1], never], at);
        var twice = await store.GetCurrentValuesAsync(tenant, [krs[0], krs[1], krs[0], never, krs[1], never], at);
        Assert.Equal(2, once.Count);
        Assert.Equal(once.Keys.Order(), twice.Keys.Order());
        foreach (var kr in krs)
        {
            Assert.Equal(CheckInHistory.AsOf([.. all.Where(c => c.KeyResultId == kr)], at), twice[kr].InForce);
            Assert.Equal(once[kr].InForce, twice[kr].InForce);
            Assert.Equal(once[kr].LastRecordedAt, twice[kr].LastRecordedAt);
        }
    });

    /// <summary>An import keeps the current values of the key results it brings check-ins for, corrections included.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Current_values_are_kept_by_imports() => WithStore(async store =>
    {
        var random = new Random(7);
        var tenant = NewTenant();
        var period = Quarter();
        var objective = NewObjective(period.Id);
        var krs = objective.KeyResults.Select(k => k.Id).ToList();
        var before = new List<CheckIn>();
        for (var i = 0; i < 10; i++)
        {
            before.Add(RandomCheckIn(random, krs, before));
        }

        await store.AppendCheckInsAsync(tenant, before);
        var imported = new List<CheckIn>();
        for (var i = 0; i < 30; i++)
        {
            imported.Add(RandomCheckIn(random, krs, [.. before, .. imported]));
        }

        // A document names each check-in once; one stored before may be in it again (stored once).
        imported = [.. imported.DistinctBy(c => c.Id)];
        Assert.Contains(imported, c => before.Contains(c));
        await store.ImportAsync(tenant, new OkrDocument(tenant, [period], [objective], imported));
        await AssertCurrentAsync(store, tenant, krs, [.. before, .. imported.Where(c => !before.Contains(c))], "import", random);
    });

    /// <summary>
    /// Two instances append to the same key results at once (single check-ins and corrections, all concurrent): every
    /// value ends equal to the definition over everything committed. A store that recomputed a value from a snapshot
    /// missing the other instance's check-in would leave the older value in force.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Current_values_hold_when_two_instances_append_to_one_key_result_at_once() => WithStore(async store =>
    {
        var second = await CreateSecondInstanceAsync(store).ConfigureAwait(false);
        try
        {
            for (var round = 0; round < 5; round++)
            {
                var tenant = NewTenant();
                var krs = Enumerable.Range(0, 2).Select(_ => new KeyResultId(Guid.NewGuid())).ToList();
                var seed = NewCheckIn(krs[0], 1, effectiveDay: 1);
                await store.AppendCheckInAsync(tenant, seed);
                var writes = Enumerable.Range(0, 24).Select(i =>
                {
                    // Later check-ins in every write, and corrections of the seed from both sides.
                    var target = i % 6 == 5
                        ? NewCheckIn(krs[0], 100 + i, effectiveDay: 1, recordedDay: 2 + (i * 0.01), corrects: seed.Id)
                        : NewCheckIn(krs[i % 2], i, effectiveDay: 2 + i, recordedDay: 30);
                    var instance = i % 2 == 0 ? store : second;
                    return Task.Run(async () => await instance.AppendCheckInAsync(tenant, target));
                }).ToList();
                await Task.WhenAll(writes);
                var all = new List<CheckIn> { seed };
                foreach (var kr in krs)
                {
                    all.AddRange((await ToListAsync(store.GetHistoryAsync(tenant, kr))).Where(c => c.Id != seed.Id));
                }

                Assert.Equal(25, all.Count);
                await AssertCurrentAsync(store, tenant, krs, all, $"round {round}", new Random(round));
                await AssertCurrentAsync(second, tenant, krs, all, $"round {round}, second instance", new Random(round));
            }
        }
        finally
        {
            if (!ReferenceEquals(second, store))
            {
                await ReleaseStoreAsync(second).ConfigureAwait(false);
            }
        }
    });

    /// <summary>Many histories in one read equal each key result's own history, in the same order; key results without check-ins are absent.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Histories_in_one_read_equal_each_history() => WithStore(async store =>
    {
        var random = new Random(3);
        var tenant = NewTenant();
        var krs = Enumerable.Range(0, 4).Select(_ => new KeyResultId(Guid.NewGuid())).ToList();
        var all = new List<CheckIn>();
        for (var i = 0; i < 30; i++)
        {
            all.Add(RandomCheckIn(random, krs.Take(3).ToList(), all));
        }

        await store.AppendCheckInsAsync(tenant, all.DistinctBy(c => c.Id).ToList());
        await store.AppendCheckInAsync(NewTenant(), NewCheckIn(krs[3], 1));   // another tenant's
        var histories = await store.GetHistoriesAsync(tenant, krs);
        Assert.Equal(3, histories.Count);
        foreach (var kr in krs.Take(3))
        {
            Assert.Equal(await ToListAsync(store.GetHistoryAsync(tenant, kr)), histories[kr]);
        }
    });

    /// <summary>
    /// The subtrees of a period follow every objective write: links added, moved to another parent and removed, objectives
    /// of other periods left out, and what an import stores; each equals a walk over the listed period.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Subtrees_follow_every_link_change_and_import() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = Quarter();
        var other = Quarter(2026, 2);
        await store.SavePeriodAsync(tenant, period, 0);
        await store.SavePeriodAsync(tenant, other, 0);
        var top = await store.SaveObjectiveAsync(tenant, NewObjective(period.Id, "Top"), 0);
        var left = await store.SaveObjectiveAsync(tenant, Aligned(NewObjective(period.Id, "Left"), top.Id), 0);
        var right = await store.SaveObjectiveAsync(tenant, Aligned(NewObjective(period.Id, "Right"), top.Id, top.KeyResults[0].Id), 0);
        var leaf = await store.SaveObjectiveAsync(tenant, Aligned(NewObjective(period.Id, "Leaf"), left.Id), 0);
        var elsewhere = await store.SaveObjectiveAsync(tenant, Aligned(NewObjective(other.Id, "Next quarter"), left.Id), 0);
        await AssertSubtreesAsync(store, tenant, period.Id, [top.Id], [top.Id, left.Id, right.Id, leaf.Id]);
        await AssertSubtreesAsync(store, tenant, period.Id, [left.Id], [left.Id, leaf.Id]);
        await AssertSubtreesAsync(store, tenant, period.Id, [left.Id, right.Id, elsewhere.Id, new ObjectiveId(Guid.NewGuid())], [left.Id, right.Id, leaf.Id]);

        // Moved: the leaf goes from Left to Right; then Right is unaligned.
        leaf = await store.SaveObjectiveAsync(tenant, new Objective(leaf.Id, leaf.PeriodId, leaf.Title, leaf.Description, leaf.Owner, leaf.Kind, leaf.State, leaf.Visibility, leaf.KeyResults, [new AlignmentLink(right.Id)], leaf.Version, leaf.CreatedAt, leaf.UpdatedAt, null), leaf.Version);
        await AssertSubtreesAsync(store, tenant, period.Id, [left.Id], [left.Id]);
        await AssertSubtreesAsync(store, tenant, period.Id, [right.Id], [right.Id, leaf.Id]);
        right = await store.SaveObjectiveAsync(tenant, new Objective(right.Id, right.PeriodId, right.Title, right.Description, right.Owner, right.Kind, right.State, right.Visibility, right.KeyResults, [], right.Version, right.CreatedAt, right.UpdatedAt, null), right.Version);
        await AssertSubtreesAsync(store, tenant, period.Id, [top.Id], [top.Id, left.Id]);

        // An import replaces links too (and brings new ones), whatever path the store takes for it.
        var fresh = Enumerable.Range(0, 40).Select(i => Aligned(NewObjective(period.Id, $"Imported {i}"), i == 0 ? top.Id : right.Id)).ToList();
        var movedBack = new Objective(leaf.Id, leaf.PeriodId, leaf.Title, leaf.Description, leaf.Owner, leaf.Kind, leaf.State, leaf.Visibility, leaf.KeyResults, [new AlignmentLink(fresh[0].Id)], leaf.Version, leaf.CreatedAt, leaf.UpdatedAt, null);
        await store.ImportAsync(tenant, new OkrDocument(tenant, [], [.. fresh, movedBack], []));
        var expected = await WalkAsync(store, tenant, period.Id, [top.Id]);
        Assert.Contains(leaf.Id, expected);
        Assert.DoesNotContain(right.Id, expected);
        await AssertSubtreesAsync(store, tenant, period.Id, [top.Id], expected);
        await AssertSubtreesAsync(store, tenant, period.Id, [right.Id], await WalkAsync(store, tenant, period.Id, [right.Id]));
    });

    /// <summary>
    /// What is aligned under a year's objectives in the quarters it holds: chains across quarters, a second parent,
    /// links to key results, the parents left out (one of them aligned under another), quarters not asked for and what
    /// hangs only under them left out, and each objective once, ordered by id, after an import moved a link.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Objectives_aligned_under_a_year_are_found_in_the_quarters_asked_for() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var year = OkrPeriod.CalendarYear(new PeriodId(Guid.NewGuid()), 2026);
        var (q1, q2, q3) = (Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3));
        var y1 = NewObjective(year.Id, "Year one");
        var y2 = NewObjective(year.Id, "Year two");
        var a = Aligned(NewObjective(q1.Id, "Q1 a"), y1.Id);
        var b = Aligned(NewObjective(q1.Id, "Q1 b"), a.Id, a.KeyResults[0].Id);
        var c = Aligned(NewObjective(q2.Id, "Q2 c under Q1 a"), a.Id);
        var d = WithLinks(NewObjective(q2.Id, "Q2 d, two parents"), new AlignmentLink(y2.Id), new AlignmentLink(b.Id));
        var loose = NewObjective(q1.Id, "Q1 unaligned");
        var x = Aligned(NewObjective(q3.Id, "Q3 x"), y1.Id);
        var underX = Aligned(NewObjective(q2.Id, "Q2 under Q3 x"), x.Id);
        var parentBelowParent = Aligned(NewObjective(q1.Id, "Q1 parent under Y1"), y1.Id);
        await store.ImportAsync(tenant, new OkrDocument(tenant, [year, q1, q2, q3], [y1, y2, a, b, c, d, loose, x, underX, parentBelowParent], []));

        async Task<List<ObjectiveId>> Found(PeriodId[] periods, ObjectiveId[] parents) =>
            [.. (await ToListAsync(store.ListAlignedUnderAsync(tenant, periods, parents))).Select(o => o.Id)];

        Assert.Equal(new[] { a.Id, b.Id, c.Id, d.Id }.Order(), await Found([q1.Id, q2.Id], [y1.Id, y2.Id, parentBelowParent.Id]));
        Assert.Equal(new[] { a.Id, b.Id, c.Id, d.Id, parentBelowParent.Id, x.Id, underX.Id }.Order(), await Found([q1.Id, q2.Id, q3.Id], [y1.Id, y2.Id]));
        Assert.Equal([d.Id], await Found([q2.Id], [y2.Id, new ObjectiveId(Guid.NewGuid())]));
        Assert.Empty(await Found([q1.Id], []));
        Assert.Empty(await Found([], [y1.Id]));

        // An import takes Q1 b's link away: it goes, and Q2 d stays through its other parent.
        await store.ImportAsync(tenant, new OkrDocument(tenant, [], [WithLinks(b)], []));
        Assert.Equal(new[] { a.Id, c.Id, d.Id, parentBelowParent.Id }.Order(), await Found([q1.Id, q2.Id], [y1.Id, y2.Id]));
    });

    private static Objective WithLinks(Objective objective, params AlignmentLink[] links) =>
        new(objective.Id, objective.PeriodId, objective.Title, objective.Description, objective.Owner, objective.Kind, objective.State, objective.Visibility, objective.KeyResults, links, objective.Version, objective.CreatedAt, objective.UpdatedAt, null);

    private static Objective Aligned(Objective objective, ObjectiveId parent, KeyResultId? keyResult = null) =>
        new(objective.Id, objective.PeriodId, objective.Title, objective.Description, objective.Owner, objective.Kind, objective.State, objective.Visibility, objective.KeyResults, [new AlignmentLink(parent, keyResult)], objective.Version, objective.CreatedAt, objective.UpdatedAt, null);

    private static async Task AssertSubtreesAsync(IOkrStore store, TenantId tenant, PeriodId period, IReadOnlyCollection<ObjectiveId> roots, IReadOnlyCollection<ObjectiveId> expected)
    {
        var found = await ToListAsync(store.ListSubtreesAsync(tenant, period, roots));
        Assert.Equal(expected.Order(), found.Select(o => o.Id));
        Assert.Equal(expected.Order(), await WalkAsync(store, tenant, period, roots));
    }

    /// <summary>The definition: a breadth-first walk over the period's objectives as listed.</summary>
    private static async Task<List<ObjectiveId>> WalkAsync(IOkrStore store, TenantId tenant, PeriodId period, IReadOnlyCollection<ObjectiveId> roots)
    {
        var objectives = await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }));
        var seen = roots.Where(r => objectives.Exists(o => o.Id == r)).ToHashSet();
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var o in objectives.Where(o => !seen.Contains(o.Id) && o.Alignments.Any(a => seen.Contains(a.ParentObjectiveId))))
            {
                grew |= seen.Add(o.Id);
            }
        }

        return [.. seen.Order()];
    }

    /// <summary>A random check-in of one of the key results: new (back-dated or late), a correction of an earlier one, or a retry of one stored.</summary>
    private static CheckIn RandomCheckIn(Random random, List<KeyResultId> krs, List<CheckIn> earlier)
    {
        var roll = random.Next(10);
        if (roll == 0 && earlier.Count > 0)
        {
            return earlier[random.Next(earlier.Count)];   // a retry: stored once
        }

        var effective = random.Next(0, 30) + (random.Next(4) * 0.25);
        var recorded = effective + random.Next(0, 10);
        if (roll <= 3 && earlier.Count > 0)
        {
            var target = earlier[random.Next(earlier.Count)];
            var correctedEffective = random.Next(2) == 0 ? (target.EffectiveAt - Start).TotalDays : effective;
            return NewCheckIn(target.KeyResultId, random.Next(0, 1000), correctedEffective, Math.Max(recorded, correctedEffective), corrects: target.Id);
        }

        return NewCheckIn(krs[random.Next(krs.Count)], random.Next(0, 1000), effective, recorded);
    }

    private static async Task AssertCurrentAsync(IOkrStore store, TenantId tenant, List<KeyResultId> krs, List<CheckIn> all, string when, Random random)
    {
        var end = Start + Duration.FromDays(60);
        var instants = new[] { end, Start + Duration.FromDays(random.Next(0, 35)), Start + Duration.FromDays(random.Next(0, 35)), Start - Duration.FromDays(1) };
        foreach (var at in instants)
        {
            var current = await store.GetCurrentValuesAsync(tenant, [.. krs, new KeyResultId(Guid.NewGuid())], at);
            var asOf = await store.GetValuesAsOfAsync(tenant, krs, at);
            foreach (var kr in krs)
            {
                var history = all.Where(c => c.KeyResultId == kr).ToList();
                var expected = CheckInHistory.AsOf(history, at);
                if (history.Count == 0)
                {
                    Assert.False(current.ContainsKey(kr), $"{when}: {kr} has no check-in but a current value.");
                    continue;
                }

                Assert.True(current.TryGetValue(kr, out var value), $"{when}: {kr} has check-ins but no current value.");
                Assert.True(Equals(expected, value!.InForce), $"{when}, at {at}: in force {value.InForce?.Id} ({value.InForce?.Value}), expected {expected?.Id} ({expected?.Value}).");
                Assert.Equal(history.Max(c => c.RecordedAt), value.LastRecordedAt);
                Assert.Equal(expected, asOf.GetValueOrDefault(kr));
            }

            Assert.Equal(krs.Count(kr => all.Exists(c => c.KeyResultId == kr)), current.Count);
        }
    }
}
