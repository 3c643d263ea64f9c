using Microsoft.Data.Sqlite;
using Okr.Core;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>A store whose first use failed (its folder was not there yet) starts again on the next call.</summary>
public class StartRetryTests
{
    [Fact]
    public async Task A_failed_first_migration_is_retried_on_the_next_call_not_cached()
    {
        var folder = Path.Combine(Path.GetTempPath(), "okr-retry-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteOkrStore($"Data Source={Path.Combine(folder, "okr.db")}");
        var tenant = new TenantId(Guid.NewGuid());
        try
        {
            // The folder does not exist yet: SQLite cannot create the file, on the first use or the next.
            await Assert.ThrowsAsync<SqliteException>(() => store.InitializeAsync());
            await Assert.ThrowsAsync<SqliteException>(async () => await store.GetPeriodAsync(tenant, new PeriodId(Guid.NewGuid())));

            // Once it is there, the same store instance migrates and works.
            Directory.CreateDirectory(folder);
            var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);
            await store.ImportAsync(tenant, new Okr.Core.Serialization.OkrDocument(tenant, [period], [], []));
            Assert.Equal(period.Id, (await store.GetPeriodAsync(tenant, period.Id))?.Id);
            await store.InitializeAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
