using NodaTime;
using Okr.Core;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    private static readonly KeyResultId Kr = new(Guid.Parse("0192f0a1-2b3c-7d4e-8f50-6172839405a6"));

    /// <summary>An appended check-in reads back equal.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Check_in_round_trips() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var checkIn = NewCheckIn(Kr, 1234.5600m);
        Assert.True(await store.AppendCheckInAsync(tenant, checkIn));
        var back = await store.GetCheckInAsync(tenant, checkIn.Id);
        Assert.Equal(checkIn, back);
        Assert.Equal(4, back!.Value.Scale);
    });

    /// <summary>Appending the same check-in twice adds it once.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Appending_is_idempotent_by_id() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var checkIn = NewCheckIn(Kr, 5);
        Assert.True(await store.AppendCheckInAsync(tenant, checkIn));
        Assert.False(await store.AppendCheckInAsync(tenant, checkIn));
        Assert.Equal(0, await store.AppendCheckInsAsync(tenant, [checkIn]));
        Assert.Single(await ToListAsync(store.GetHistoryAsync(tenant, Kr)));
    });

    /// <summary>Reusing a check-in id for different content is rejected and changes nothing.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Reusing_an_id_for_different_content_is_rejected() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var checkIn = NewCheckIn(Kr, 5);
        await store.AppendCheckInAsync(tenant, checkIn);
        var forged = new CheckIn(checkIn.Id, Kr, 6, checkIn.Author, checkIn.EffectiveAt, checkIn.RecordedAt, checkIn.Confidence, checkIn.Note);
        var ex = await Assert.ThrowsAsync<OkrValidationException>(async () => await store.AppendCheckInAsync(tenant, forged));
        Assert.Equal(OkrErrorCodes.DuplicateId, ex.Violations[0].Code);
        Assert.Equal(checkIn, await store.GetCheckInAsync(tenant, checkIn.Id));
    });

    /// <summary>A batch is appended whole and reports how many were new.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_batch_is_appended_whole() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var existing = NewCheckIn(Kr, 1);
        await store.AppendCheckInAsync(tenant, existing);
        var batch = Enumerable.Range(1, 50).Select(i => NewCheckIn(Kr, i, effectiveDay: i)).Prepend(existing).ToList();
        Assert.Equal(50, await store.AppendCheckInsAsync(tenant, batch));
        Assert.Equal(51, (await ToListAsync(store.GetHistoryAsync(tenant, Kr))).Count);
    });

    /// <summary>One bad check-in in a batch rolls the whole batch back.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task One_bad_check_in_rolls_back_the_batch() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var existing = NewCheckIn(Kr, 1);
        await store.AppendCheckInAsync(tenant, existing);
        var clash = new CheckIn(existing.Id, Kr, 2, existing.Author, existing.EffectiveAt, existing.RecordedAt);
        var batch = Enumerable.Range(1, 20).Select(i => NewCheckIn(Kr, i, effectiveDay: i)).Append(clash).ToList();
        await Assert.ThrowsAsync<OkrValidationException>(async () => await store.AppendCheckInsAsync(tenant, batch));
        Assert.Equal([existing], await ToListAsync(store.GetHistoryAsync(tenant, Kr)));
        Assert.Null(await store.GetCheckInAsync(tenant, batch[0].Id));
    });

    /// <summary>Two different check-ins with one id inside a single batch are rejected; two identical ones count once.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Duplicates_inside_a_batch() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var a = NewCheckIn(Kr, 1);
        Assert.Equal(1, await store.AppendCheckInsAsync(tenant, [a, a]));
        var b = NewCheckIn(Kr, 2);
        var bPrime = new CheckIn(b.Id, Kr, 3, b.Author, b.EffectiveAt, b.RecordedAt);
        await Assert.ThrowsAsync<OkrValidationException>(async () => await store.AppendCheckInsAsync(tenant, [b, bPrime]));
        Assert.Null(await store.GetCheckInAsync(tenant, b.Id));
    });

    /// <summary>History is ordered by effective instant, recorded instant, then id, and keeps corrected check-ins.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task History_is_ordered_and_complete() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var wrong = NewCheckIn(Kr, 700, effectiveDay: 7);
        var all = new[]
        {
            NewCheckIn(Kr, 30, effectiveDay: 14), wrong, NewCheckIn(Kr, 10, effectiveDay: 0), NewCheckIn(Kr, 20, effectiveDay: 7, recordedDay: 8),
            NewCheckIn(Kr, 70, effectiveDay: 7, recordedDay: 9, corrects: wrong.Id), NewCheckIn(Kr, 21, effectiveDay: 7, recordedDay: 8),
        };
        await store.AppendCheckInsAsync(tenant, all);
        var expected = all.OrderBy(c => c.EffectiveAt).ThenBy(c => c.RecordedAt).ThenBy(c => c.Id);
        Assert.Equal(expected, await ToListAsync(store.GetHistoryAsync(tenant, Kr)));
        Assert.Empty(await ToListAsync(store.GetHistoryAsync(tenant, new KeyResultId(Guid.NewGuid()))));
    });

    /// <summary>The values as of an instant, for many key results at once, follow CheckInHistory.AsOf exactly.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Values_as_of_follow_the_one_definition() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var krs = Enumerable.Range(0, 5).Select(_ => new KeyResultId(Guid.NewGuid())).ToList();
        var all = new List<CheckIn>();
        var random = new Random(7);
        foreach (var kr in krs.Take(4))
        {
            for (var i = 0; i < 12; i++)
            {
                var day = random.Next(0, 30);
                var corrects = all.Count > 0 && random.Next(4) == 0 ? all[random.Next(all.Count)] : null;
                var c = corrects is { } target && target.KeyResultId == kr
                    ? NewCheckIn(kr, random.Next(0, 1000), effectiveDay: (target.EffectiveAt - Start).TotalDays, recordedDay: (target.RecordedAt - Start).TotalDays + 1 + random.Next(5), corrects: target.Id)
                    : NewCheckIn(kr, random.Next(0, 1000), effectiveDay: day, recordedDay: day + random.Next(0, 3));
                all.Add(c);
            }
        }

        // Exact ties on both instants, decided by id.
        all.Add(NewCheckIn(krs[0], 1, effectiveDay: 40, recordedDay: 41));
        all.Add(NewCheckIn(krs[0], 2, effectiveDay: 40, recordedDay: 41));
        await store.AppendCheckInsAsync(tenant, all);

        foreach (var day in new[] { -1.0, 0, 3.5, 10, 17, 29, 45 })
        {
            foreach (var known in new double?[] { null, 5, 12, 30 })
            {
                var at = Start + Duration.FromDays(day);
                Instant? knownAt = known is { } k ? Start + Duration.FromDays(k) : null;
                var actual = await store.GetValuesAsOfAsync(tenant, krs, at, knownAt);
                foreach (var kr in krs)
                {
                    var expected = CheckInHistory.AsOf(all.Where(c => c.KeyResultId == kr), at, knownAt);
                    Assert.Equal(expected, actual.GetValueOrDefault(kr));
                }
            }
        }
    });

    /// <summary>A correction replaces what it corrects from the moment it is recorded.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_correction_replaces_what_it_corrects() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var wrong = NewCheckIn(Kr, 700, effectiveDay: 7);
        var fix = NewCheckIn(Kr, 70, effectiveDay: 7, recordedDay: 9, corrects: wrong.Id);
        await store.AppendCheckInsAsync(tenant, [NewCheckIn(Kr, 10), wrong, fix]);
        Assert.Equal(70, (await store.GetValuesAsOfAsync(tenant, [Kr], Start + Duration.FromDays(8)))[Kr].Value);
        Assert.Equal(700, (await store.GetValuesAsOfAsync(tenant, [Kr], Start + Duration.FromDays(8), Start + Duration.FromDays(8)))[Kr].Value);
    });

    /// <summary>Key results with no check-in in force are absent from the values, not zero.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task No_check_in_means_absent_not_zero() => WithStore(async store =>
    {
        var tenant = NewTenant();
        await store.AppendCheckInAsync(tenant, NewCheckIn(Kr, 5, effectiveDay: 3));
        var values = await store.GetValuesAsOfAsync(tenant, [Kr, new KeyResultId(Guid.NewGuid())], Start + Duration.FromDays(1));
        Assert.Empty(values);
        Assert.Empty(await store.GetValuesAsOfAsync(tenant, [], Start));
    });

    /// <summary>Many key results are answered by one call.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Values_of_a_thousand_key_results_in_one_call() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var checkIns = Enumerable.Range(0, 1000).Select(i => NewCheckIn(new KeyResultId(Guid.NewGuid()), i)).ToList();
        await store.AppendCheckInsAsync(tenant, checkIns);
        var values = await store.GetValuesAsOfAsync(tenant, checkIns.Select(c => c.KeyResultId).ToList(), Start);
        Assert.Equal(1000, values.Count);
        Assert.All(checkIns, c => Assert.Equal(c, values[c.KeyResultId]));
    });
}
