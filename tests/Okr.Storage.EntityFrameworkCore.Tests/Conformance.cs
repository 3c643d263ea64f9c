using Microsoft.EntityFrameworkCore;
using Okr.Core.Storage;
using Okr.Storage.Specification;

namespace Okr.Storage.EntityFrameworkCore.Tests;

/// <summary>The EF Core store over SQLite passes the whole conformance kit, each test on a fresh database file.</summary>
public class EfCoreSqliteConformance : OkrStoreSpecification
{
    private DbContextOptions<HostContext>? _options;

    protected override ValueTask<IOkrStore> CreateStoreAsync() =>
        ValueTask.FromResult<IOkrStore>(new EntityFrameworkCoreOkrStore<HostContext>(new HostContextFactory(_options = Databases.NewSqlite())));

    // A second application instance: another store, with contexts of its own, on the same database file.
    protected override ValueTask<IOkrStore> CreateSecondInstanceAsync(IOkrStore first) =>
        ValueTask.FromResult<IOkrStore>(new EntityFrameworkCoreOkrStore<HostContext>(new HostContextFactory(_options ?? throw new InvalidOperationException("CreateStoreAsync first."))));
}

/// <summary>The EF Core store over PostgreSQL (Npgsql's provider) passes the whole conformance kit on a real server.</summary>
public class EfCorePostgresConformance : OkrStoreSpecification
{
    /// <summary>Read by the kit: the tests are reported as skipped, with this reason, when no server is configured.</summary>
    public static string? StoreSkipReason => Databases.PostgresSkipReason;

    protected override ValueTask<IOkrStore> CreateStoreAsync() =>
        ValueTask.FromResult<IOkrStore>(new EntityFrameworkCoreOkrStore<HostContext>(new HostContextFactory(Databases.Postgres)));

    protected override ValueTask<IOkrStore> CreateSecondInstanceAsync(IOkrStore first) =>
        ValueTask.FromResult<IOkrStore>(new EntityFrameworkCoreOkrStore<HostContext>(new HostContextFactory(Databases.Postgres)));
}
