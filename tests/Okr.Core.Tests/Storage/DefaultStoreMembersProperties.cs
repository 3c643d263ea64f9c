using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Okr.Core.Serialization;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Storage;

/// <summary>
/// The default members of <see cref="IOkrStore"/> that walk links (what a store that keeps no index of links gets)
/// against the in-memory store's indexed ones: for random objectives of a year and three quarters, each aligned to up
/// to two earlier ones of any of those periods, the objectives aligned under any parents within any periods
/// (<see cref="IOkrStore.ListAlignedUnderAsync"/>), and any subtrees of a period (<see cref="IOkrStore.ListSubtreesAsync"/>),
/// are the same objectives in the same order.
/// </summary>
public class DefaultStoreMembersProperties
{
    private static readonly Instant At = Instant.FromUtc(2026, 1, 5, 9, 0);
    private static readonly OkrPeriod[] Periods =
        [OkrPeriod.CalendarYear(new PeriodId(Guid.NewGuid()), 2026), .. Enumerable.Range(1, 3).Select(q => OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, q))];

    // An objective: its period, and up to two parents among the objectives before it (as fractions of their number).
    private static readonly Gen<(int Period, double First, double Second, int Parents)> Shape =
        from period in Gen.Choose(0, Periods.Length - 1)
        from first in Gen.Choose(0, 999).Select(x => x / 1000.0)
        from second in Gen.Choose(0, 999).Select(x => x / 1000.0)
        from parents in Gen.Frequency((2, Gen.Constant(0)), (5, Gen.Constant(1)), (1, Gen.Constant(2)))
        select (period, first, second, parents);

    private static readonly Gen<(List<(int Period, double First, double Second, int Parents)> Shapes, int Periods, int Parents, int Seed)> Cases =
        from shapes in Shape.ListOf().Select(l => l.ToList())
        from periods in Gen.Choose(0, (1 << Periods.Length) - 1)
        from parents in Gen.Choose(1, 4)
        from seed in Gen.Choose(0, 10_000)
        select (shapes, periods, parents, seed);

    [Property(MaxTest = 150)]
    public Property The_defaults_that_walk_links_equal_the_indexed_reads() =>
        Prop.ForAll(Cases.ToArbitrary(), input =>
        {
            var (shapes, periodMask, parentCount, seed) = input;
            var objectives = new List<Objective>();
            foreach (var (home, first, second, linked) in shapes)
            {
                var links = new List<AlignmentLink>();
                if (objectives.Count > 0 && linked > 0)
                {
                    links.Add(new AlignmentLink(objectives[(int)(first * objectives.Count)].Id));
                    var other = objectives[(int)(second * objectives.Count)].Id;
                    if (linked > 1 && links.TrueForAll(l => l.ParentObjectiveId != other))
                    {
                        links.Add(new AlignmentLink(other));
                    }
                }

                objectives.Add(new Objective(
                    new ObjectiveId(Guid.NewGuid()), Periods[home].Id, $"Objective {objectives.Count}", string.Empty, OwnerRef.Team("t"), ObjectiveKind.Committed,
                    ObjectiveState.Draft, Visibility.Public, [], links, 0, At, At, null));
            }

            var tenant = new TenantId(Guid.NewGuid());
            var indexed = new InMemoryOkrStore();
            indexed.ImportAsync(tenant, new OkrDocument(tenant, Periods, objectives, [])).AsTask().GetAwaiter().GetResult();
            IOkrStore walking = new RequiredMembersOnly(indexed);
            IOkrStore store = indexed;

            var random = new Random(seed);
            var periods = Periods.Where((_, i) => (periodMask & (1 << i)) != 0).Select(p => p.Id).ToList();
            var parents = objectives.Count == 0 ? [] : Enumerable.Range(0, parentCount).Select(_ => objectives[random.Next(objectives.Count)].Id).Distinct().ToList();
            Assert.Equal(Ids(walking.ListAlignedUnderAsync(tenant, periods, parents)), Ids(store.ListAlignedUnderAsync(tenant, periods, parents)));

            var period = Periods[random.Next(Periods.Length)].Id;
            Assert.Equal(Ids(walking.ListSubtreesAsync(tenant, period, parents)), Ids(store.ListSubtreesAsync(tenant, period, parents)));
            return true;
        });

    private static List<ObjectiveId> Ids(IAsyncEnumerable<Objective> objectives)
    {
        var ids = new List<ObjectiveId>();
        var e = objectives.GetAsyncEnumerator();
        while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            ids.Add(e.Current.Id);
        }

        return ids;
    }

    /// <summary>A store that implements only the members <see cref="IOkrStore"/> requires, so every other is its default.</summary>
    private sealed class RequiredMembersOnly(IOkrStore inner) : IOkrStore
    {
        public ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default) => inner.CommitAsync(tenant, changes, cancellationToken);

        public ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) => inner.GetPeriodContentAsync(tenant, period, cancellationToken);

        public ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) => inner.GetPeriodAsync(tenant, id, cancellationToken);

        public IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, CancellationToken cancellationToken = default) => inner.ListPeriodsAsync(tenant, cancellationToken);

        public ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) => inner.GetObjectiveAsync(tenant, id, cancellationToken);

        public IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) => inner.ListPeriodHistoryAsync(tenant, id, cancellationToken);

        public IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) => inner.ListObjectiveHistoryAsync(tenant, id, cancellationToken);

        public ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) => inner.FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken);

        public IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default) => inner.ListObjectivesAsync(tenant, query, cancellationToken);

        public ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default) => inner.GetCheckInAsync(tenant, id, cancellationToken);

        public IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) => inner.GetHistoryAsync(tenant, keyResult, cancellationToken);

        public ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default) =>
            inner.GetValuesAsOfAsync(tenant, keyResults, effectiveAt, knownAt, cancellationToken);

        public ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) => inner.ImportAsync(tenant, document, progress, cancellationToken);

        public ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default) => inner.ExportAsync(tenant, period, cancellationToken);
    }
}
