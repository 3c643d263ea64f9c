using Okr.Core.Storage;
using Okr.Storage.Specification;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>The PostgreSQL store passes the whole conformance kit on a real server.</summary>
public class PostgreSqlStoreConformance : OkrStoreSpecification
{
    /// <summary>Read by the kit: the tests are reported as skipped, with this reason, when no server is configured.</summary>
    public static string? StoreSkipReason => TestDatabase.SkipReason;

    protected override ValueTask<IOkrStore> CreateStoreAsync() => ValueTask.FromResult<IOkrStore>(TestDatabase.Store);

    // The store is shared by every test of the run (each test uses its own tenants).
    protected override ValueTask ReleaseStoreAsync(IOkrStore store) => ValueTask.CompletedTask;
}
