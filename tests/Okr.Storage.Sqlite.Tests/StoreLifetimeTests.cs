using Microsoft.Data.Sqlite;
using Okr.Core;
using Okr.Core.Serialization;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>What a store holds in the process for its file is released when the last store of the file is disposed.</summary>
public class StoreLifetimeTests
{
    [Fact]
    public async Task A_files_write_gate_lives_while_a_store_of_it_does_and_a_disposed_store_refuses_calls()
    {
        var cs = TempDatabase.NewConnectionString();
        var file = Path.GetFullPath(new SqliteConnectionStringBuilder(cs).DataSource);
        var tenant = new TenantId(Guid.NewGuid());
        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);
        var first = new SqliteOkrStore(cs);
        var second = new SqliteOkrStore(cs);
        await first.InitializeAsync();
        Assert.Contains(file, SqliteOkrStore.OpenFiles);

        first.Dispose();
        first.Dispose();   // twice is harmless
        Assert.Contains(file, SqliteOkrStore.OpenFiles);
        await second.ImportAsync(tenant, new OkrDocument(tenant, [period], [], []));
        second.Dispose();
        Assert.DoesNotContain(file, SqliteOkrStore.OpenFiles);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.InitializeAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await second.GetPeriodAsync(tenant, period.Id));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await second.ImportAsync(tenant, new OkrDocument(tenant, [period], [], [])));

        // A new store of the file gets a gate again and reads what the others wrote.
        using var third = new SqliteOkrStore(cs);
        Assert.Contains(file, SqliteOkrStore.OpenFiles);
        Assert.Equal(period.Id, (await third.GetPeriodAsync(tenant, period.Id))?.Id);
    }
}
