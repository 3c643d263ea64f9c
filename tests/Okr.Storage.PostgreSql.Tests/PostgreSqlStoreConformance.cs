using Okr.Core.Storage;
using Okr.Storage.Specification;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>The PostgreSQL store passes the whole conformance kit on a real server.</summary>
public class PostgreSqlStoreConformance : OkrStoreSpecification
{
    /// <summary>Read by the kit: the tests are reported as skipped, with this reason, when no server is configured.</summary>
    public static string? StoreSkipReason => TestDatabase.SkipReason;

    protected override ValueTask<IOkrStore> CreateStoreAsync() => ValueTask.FromResult<IOkrStore>(TestDatabase.Store);

    // A second application instance: another store, with its own connection pool, on the same database.
    protected override ValueTask<IOkrStore> CreateSecondInstanceAsync(IOkrStore first) =>
        ValueTask.FromResult<IOkrStore>(new PostgreSqlOkrStore(TestDatabase.SharedConnectionString));

    // The shared store serves every test of the run (each test uses its own tenants); second instances are disposed.
    protected override async ValueTask ReleaseStoreAsync(IOkrStore store)
    {
        if (!ReferenceEquals(store, TestDatabase.Store))
        {
            await base.ReleaseStoreAsync(store);
        }
    }
}
