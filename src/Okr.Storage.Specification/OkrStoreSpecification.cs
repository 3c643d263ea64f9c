using NodaTime;
using Okr.Core;
using Okr.Core.Storage;

namespace Okr.Storage.Specification;

/// <summary>
/// The conformance kit: every <see cref="IOkrStore"/> subclasses this class in its own test project
/// and must pass every test. Each test takes a fresh store from <see cref="CreateStoreAsync"/> and
/// fresh tenants, so stores that share a database between tests stay correct.
/// </summary>
/// <remarks>
/// Covers periods, objectives (optimistic concurrency included, under real parallel writers),
/// queries and paging, tenant isolation, idempotent and atomic check-in appends, as-of reads with
/// corrections, NodaTime and decimal precision, imports and exports, and cancellation.
/// </remarks>
public abstract partial class OkrStoreSpecification
{
    /// <summary>The instant the kit's data starts at.</summary>
    protected static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);

    /// <summary>A clock standing at <see cref="Start"/>, for the period lifecycle steps the tests take by hand.</summary>
    private static readonly IClock AtStart = new FixedClock(Start);

    /// <summary>An author for check-ins.</summary>
    protected static readonly OwnerRef Author = OwnerRef.Person("E1042");

    /// <summary>Makes a store for one test. It may be shared with other tests as long as tenants are kept apart.</summary>
    /// <returns>The store.</returns>
    protected abstract ValueTask<IOkrStore> CreateStoreAsync();

    /// <summary>Releases a store made by <see cref="CreateStoreAsync"/>; disposes it when it is disposable.</summary>
    /// <param name="store">The store.</param>
    /// <returns>A task that completes when the store is released.</returns>
    protected virtual async ValueTask ReleaseStoreAsync(IOkrStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <summary>Runs a test body against a fresh store and releases it afterwards.</summary>
    /// <param name="test">The test body.</param>
    /// <returns>A task that completes with the test.</returns>
    protected async Task WithStore(Func<IOkrStore, Task> test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var store = await CreateStoreAsync().ConfigureAwait(false);
        try
        {
            await test(store).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseStoreAsync(store).ConfigureAwait(false);
        }
    }

    /// <summary>A new tenant id.</summary>
    /// <returns>The tenant.</returns>
    protected static TenantId NewTenant() => new(Guid.NewGuid());

    /// <summary>A period of the first quarter of 2026.</summary>
    /// <param name="year">The year.</param>
    /// <param name="quarter">The quarter.</param>
    /// <returns>The period.</returns>
    protected static OkrPeriod Quarter(int year = 2026, int quarter = 1) => OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), year, quarter);

    /// <summary>An objective with three key results in a period.</summary>
    /// <param name="period">The period.</param>
    /// <param name="title">The title.</param>
    /// <param name="owner">The owner; a team when null.</param>
    /// <returns>The objective, version 0.</returns>
    protected static Objective NewObjective(PeriodId period, string title = "Delight customers", OwnerRef? owner = null) =>
        new(
            new ObjectiveId(Guid.NewGuid()),
            period,
            title,
            "Why it matters.\nSecond line.",
            owner ?? OwnerRef.Team("product"),
            ObjectiveKind.Committed,
            ObjectiveState.Draft,
            Visibility.Team,
            [
                new KeyResult(new KeyResultId(Guid.NewGuid()), "Revenue", new IncreaseMeasure(1000.50m, 2500.25m, 3000m, MeasureUnit.Currency("EUR")), 2),
                new KeyResult(new KeyResultId(Guid.NewGuid()), "Churn", new DecreaseMeasure(5.5m, 2m, unit: MeasureUnit.Percent)),
                new KeyResult(new KeyResultId(Guid.NewGuid()), "Launch", new MilestoneMeasure(), owner: OwnerRef.Person("E7")),
            ],
            [],
            0,
            Start,
            Start,
            null);

    /// <summary>A check-in of a key result.</summary>
    /// <param name="keyResult">The key result.</param>
    /// <param name="value">The value.</param>
    /// <param name="effectiveDay">Days after <see cref="Start"/> the value was true.</param>
    /// <param name="recordedDay">Days after <see cref="Start"/> it was recorded; the effective day when null.</param>
    /// <param name="corrects">The check-in it corrects, if any.</param>
    /// <returns>The check-in.</returns>
    protected static CheckIn NewCheckIn(KeyResultId keyResult, decimal value, double effectiveDay = 0, double? recordedDay = null, CheckInId? corrects = null) =>
        new(
            new CheckInId(Guid.NewGuid()),
            keyResult,
            value,
            Author,
            Start + Duration.FromDays(effectiveDay),
            Start + Duration.FromDays(recordedDay ?? effectiveDay),
            new Confidence(0.7),
            "note",
            corrects);

    /// <summary>Reads an async sequence into a list.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The sequence.</param>
    /// <returns>The list.</returns>
    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new List<T>();
        await foreach (var item in items.ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}
