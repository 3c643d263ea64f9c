using FsCheck;
using FsCheck.Fluent;
using Okr.Core.Storage;
using static Okr.Testing.StoreEquivalence;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// Any sequence of facade operations leaves the same observable state on the in-memory and the PostgreSQL
/// store. Each run plays in a fresh tenant of the shared test database.
/// </summary>
public class StoreEquivalenceProperties
{
    private static (string, IOkrStore)[] Stores() => [("in-memory", new InMemoryOkrStore()), ("PostgreSQL", TestDatabase.Store)];

    [PostgresProperty(MaxTest = 100)]
    public Property In_memory_and_postgresql_stores_end_in_the_same_state() =>
        Prop.ForAll(Sequences, steps => RunAsync(Stores(), steps).GetAwaiter().GetResult().Same);

    /// <summary>The scripted quarter: both stores end equal and non-empty.</summary>
    [PostgresFact]
    public async Task A_scripted_quarter_ends_the_same_on_both_stores()
    {
        var (same, objectives, checkIns, closed) = await RunAsync(Stores(), Script);
        Assert.True(same);
        Assert.Equal((2, 3, 2), (objectives, checkIns, closed));
    }
}
