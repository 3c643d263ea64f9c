using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Storage;

/// <summary>
/// The in-memory store's listings (its tenant and per-period indexes, and the seek of a page) against their
/// definition: after any sequence of saves, some of them moving an objective to another period or changing its owner
/// or state, every query (a period or none, an owner, a state, a page after any id, a limit) lists exactly
/// <see cref="ObjectiveQuery.Matches"/> over the stored objectives, in id order, after the id, up to the limit.
/// </summary>
public class InMemoryListingProperties
{
    private static readonly Instant At = Instant.FromUtc(2026, 1, 5, 9, 0);
    private static readonly PeriodId[] Periods = [.. Enumerable.Range(1, 3).Select(i => new PeriodId(Guid.Parse($"0192f0a1-0000-7000-8000-00000000010{i}")))];
    private static readonly ObjectiveId[] Ids = [.. Enumerable.Range(10, 40).Select(i => new ObjectiveId(Guid.Parse($"0192f0a1-0000-7000-8000-0000000002{i}")))];
    private static readonly OwnerRef[] Owners = [OwnerRef.Team("a"), OwnerRef.Team("b")];

    // A save: which objective (from a small set, so objectives are saved again), its period, owner and state.
    private static readonly Gen<(int Id, int Period, int Owner, bool Active)> Save =
        from id in Gen.Choose(0, Ids.Length - 1)
        from period in Gen.Choose(0, Periods.Length - 1)
        from owner in Gen.Choose(0, Owners.Length - 1)
        from active in Gen.Elements(false, true)
        select (id, period, owner, active);

    private static readonly Gen<ObjectiveQuery> Query =
        from period in Gen.Choose(-1, Periods.Length)
        from owner in Gen.Choose(-1, Owners.Length - 1)
        from state in Gen.Choose(-1, 1)
        from after in Gen.Choose(-1, Ids.Length - 1)
        from limit in Gen.Choose(0, 12)
        select new ObjectiveQuery
        {
            // Past the last period: one that holds nothing.
            Period = period < 0 ? null : period == Periods.Length ? new PeriodId(Guid.NewGuid()) : Periods[period],
            Owner = owner < 0 ? null : Owners[owner],
            State = state < 0 ? null : state == 0 ? ObjectiveState.Draft : ObjectiveState.Active,
            After = after < 0 ? null : Ids[after],
            Limit = limit == 0 ? null : limit,
        };

    [Property(MaxTest = 200)]
    public Property Listings_equal_the_definition_after_any_saves() =>
        Prop.ForAll(Save.ListOf().Select(l => l.ToList()).ToArbitrary(), Query.ListOf().Select(l => l.ToList()).ToArbitrary(), (saves, queries) =>
        {
            var tenant = new TenantId(Guid.NewGuid());
            var store = new InMemoryOkrStore();
            var stored = new Dictionary<ObjectiveId, Objective>();
            foreach (var (id, period, owner, active) in saves)
            {
                var version = stored.TryGetValue(Ids[id], out var previous) ? previous.Version : 0;
                var objective = new Objective(
                    Ids[id], Periods[period], "Objective", string.Empty, Owners[owner], ObjectiveKind.Committed, active ? ObjectiveState.Active : ObjectiveState.Draft,
                    Visibility.Public, [new KeyResult(new KeyResultId(Guid.NewGuid()), "KR", new MilestoneMeasure())], [], version, At, At, null);
                stored[Ids[id]] = store.SaveObjectiveAsync(tenant, objective, version).AsTask().GetAwaiter().GetResult();
            }

            foreach (var query in queries)
            {
                var expected = stored.Values.Where(query.Matches).OrderBy(o => o.Id).Take(query.Limit ?? int.MaxValue).Select(o => o.Id);
                var listed = new List<ObjectiveId>();
                var listing = store.ListObjectivesAsync(tenant, query).GetAsyncEnumerator();
                while (listing.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    listed.Add(listing.Current.Id);
                }

                Assert.Equal(expected, listed);
            }

            var content = store.GetPeriodContentAsync(tenant, Periods[0]).AsTask().GetAwaiter().GetResult();
            Assert.Equal(stored.Values.Count(o => o.PeriodId == Periods[0]), content.Objectives);
            return true;
        });
}
