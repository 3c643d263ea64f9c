using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Storage.EntityFrameworkCore.Tests;

/// <summary>
/// The store as a host registers it (<c>AddDbContext</c> + <c>UseEntityFrameworkCore&lt;HostContext&gt;()</c>), used as a
/// request would: the host's own write and an OKR write in the host's transaction commit or roll back together, a failed
/// OKR write leaves the host's transaction usable, and events reach a subscriber through the dispatcher.
/// </summary>
internal static class HostTransactionScenarios
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);

    public static ServiceProvider Services(DbContextOptions<HostContext> options, IOkrEventSubscriber? subscriber = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(options);
        services.AddDbContext<HostContext>();
        services.AddOkr(okr =>
        {
            okr.UseClock(new FakeClock(Start));
            okr.UseEntityFrameworkCore<HostContext>();
            if (subscriber is not null)
            {
                okr.AddEventSubscriber(subscriber);
            }
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public static async Task CommitOrRollBackTogether(DbContextOptions<HostContext> options, bool commit)
    {
        await using var services = Services(options);
        var tenant = new TenantId(Guid.NewGuid());
        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);
        var name = $"Ada {Guid.NewGuid():N}";
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HostContext>();
            var okr = scope.ServiceProvider.GetRequiredService<OkrService>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Employees.Add(new Employee { Name = name });
            await db.SaveChangesAsync();
            await okr.Periods.CreateAsync(tenant, period);
            await okr.Periods.ActivateAsync(tenant, period.Id);   // reads its own uncommitted write
            if (commit)
            {
                await transaction.CommitAsync();
            }
            else
            {
                await transaction.RollbackAsync();
            }
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HostContext>();
            var store = scope.ServiceProvider.GetRequiredService<IOkrStore>();
            Assert.Equal(commit ? PeriodState.Active : null, (await store.GetPeriodAsync(tenant, period.Id))?.State);
            Assert.Equal(commit ? 1 : 0, await db.Employees.CountAsync(e => e.Name == name));
            Assert.Equal(commit ? 2 : 0, (await ((IOkrEventOutbox)store).ReadEventsAsync(tenant, 0, 10)).Count);
        }
    }

    public static async Task AFailedOkrWriteLeavesTheHostsTransactionUsable(DbContextOptions<HostContext> options)
    {
        await using var services = Services(options);
        var tenant = new TenantId(Guid.NewGuid());
        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);
        var name = $"Grace {Guid.NewGuid():N}";
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HostContext>();
            var okr = scope.ServiceProvider.GetRequiredService<OkrService>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await okr.Periods.CreateAsync(tenant, period);

            // The same period again: refused, and only that write is undone (its savepoint), not the period before it.
            var refused = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Periods.CreateAsync(tenant, period));
            Assert.Equal(OkrErrorCodes.DuplicateId, Assert.Single(refused.Violations).Code);
            db.Employees.Add(new Employee { Name = name });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HostContext>();
            var store = scope.ServiceProvider.GetRequiredService<IOkrStore>();
            Assert.NotNull(await store.GetPeriodAsync(tenant, period.Id));
            Assert.Equal(1, await db.Employees.CountAsync(e => e.Name == name));
        }
    }

    public static async Task UnsavedHostChangesAreNotWrittenByAnOkrWrite(DbContextOptions<HostContext> options)
    {
        await using var services = Services(options);
        var tenant = new TenantId(Guid.NewGuid());
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HostContext>();
        var okr = scope.ServiceProvider.GetRequiredService<OkrService>();
        db.Employees.Add(new Employee { Name = "unsaved" });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1)));
        Assert.Contains("unsaved changes", error.Message, StringComparison.Ordinal);
        db.ChangeTracker.Clear();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<IOkrStore>().ListPeriodsAsync(tenant).ToListAsync());
        Assert.Equal(0, await db.Employees.CountAsync(e => e.Name == "unsaved"));
    }

    public static async Task TheDispatcherDeliversThroughAScopePerCall(DbContextOptions<HostContext> options)
    {
        var received = new Received();
        await using var services = Services(options, received);
        Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<OkrService>());   // scoped with its store
        var tenant = new TenantId(Guid.NewGuid());
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OkrService>().Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        }

        var dispatcher = services.GetRequiredService<OkrEventDispatcher>();
        Assert.True(await dispatcher.DispatchOnceAsync() >= 1);
        Assert.Equal([OkrEventTypes.PeriodCreated], received.Types(tenant));
    }

    private sealed class Received : IOkrEventSubscriber
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<OkrEvent> _events = new();

        public ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken)
        {
            _events.Enqueue(okrEvent);
            return ValueTask.CompletedTask;
        }

        public List<string> Types(TenantId tenant) => [.. _events.Where(e => e.Tenant == tenant).Select(e => e.Type)];
    }
}

/// <summary>The host's transaction and the store, over SQLite.</summary>
public class SqliteHostTransactionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public Task A_host_write_and_an_OKR_write_commit_or_roll_back_together(bool commit) => HostTransactionScenarios.CommitOrRollBackTogether(Databases.NewSqlite(), commit);

    [Fact]
    public Task A_failed_OKR_write_leaves_the_hosts_transaction_usable() => HostTransactionScenarios.AFailedOkrWriteLeavesTheHostsTransactionUsable(Databases.NewSqlite());

    [Fact]
    public Task Unsaved_host_changes_are_not_written_by_an_OKR_write() => HostTransactionScenarios.UnsavedHostChangesAreNotWrittenByAnOkrWrite(Databases.NewSqlite());

    [Fact]
    public Task The_dispatcher_delivers_through_a_scope_per_call() => HostTransactionScenarios.TheDispatcherDeliversThroughAScopePerCall(Databases.NewSqlite());
}

/// <summary>The host's transaction and the store, over PostgreSQL.</summary>
public class PostgresHostTransactionTests
{
    [PostgresTheory]
    [InlineData(true)]
    [InlineData(false)]
    public Task A_host_write_and_an_OKR_write_commit_or_roll_back_together(bool commit) => HostTransactionScenarios.CommitOrRollBackTogether(Databases.Postgres, commit);

    [PostgresFact]
    public Task A_failed_OKR_write_leaves_the_hosts_transaction_usable() => HostTransactionScenarios.AFailedOkrWriteLeavesTheHostsTransactionUsable(Databases.Postgres);

    [PostgresFact]
    public Task Unsaved_host_changes_are_not_written_by_an_OKR_write() => HostTransactionScenarios.UnsavedHostChangesAreNotWrittenByAnOkrWrite(Databases.Postgres);

    [PostgresFact]
    public Task The_dispatcher_delivers_through_a_scope_per_call() => HostTransactionScenarios.TheDispatcherDeliversThroughAScopePerCall(Databases.NewPostgres());   // a database of its own: no other test's events to deliver first
}

/// <summary>A fact that is skipped, with the reason, when no PostgreSQL server is configured.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Databases.PostgresSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that is skipped, with the reason, when no PostgreSQL server is configured.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (Databases.PostgresSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
