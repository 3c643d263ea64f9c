using Microsoft.EntityFrameworkCore;
using Okr.Core;
using Okr.Core.Storage;

namespace Okr.Storage.EntityFrameworkCore.Tests;

/// <summary>What <c>modelBuilder.AddOkr</c> maps into a host's model: names, schema, prefix, and tenant-first keys.</summary>
public class ModelMappingTests
{
    /// <summary>A host context whose OKR tables go where the options say.</summary>
    private sealed class PlacedContext(DbContextOptions<PlacedContext> options, Action<OkrModelOptions> place) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOkr(place);
    }

    private sealed class PlacedFactory(DbContextOptions<PlacedContext> options, Action<OkrModelOptions> place) : IDbContextFactory<PlacedContext>
    {
        public PlacedContext CreateDbContext() => new(options, place);
    }

    [Fact]
    public void The_tables_are_prefixed_okr_and_every_key_and_index_leads_with_the_tenant()
    {
        using var db = new HostContext(new DbContextOptionsBuilder<HostContext>().UseSqlite("Data Source=:memory:").Options);
        var okr = db.Model.GetEntityTypes().Where(e => typeof(IOkrRow).IsAssignableFrom(e.ClrType)).ToList();
        Assert.Equal(10, okr.Count);
        Assert.All(okr, e => Assert.StartsWith("okr_", e.GetTableName(), StringComparison.Ordinal));
        Assert.Contains(okr, e => e.GetTableName() == "okr_check_ins");
        Assert.All(okr, e => Assert.Equal("tenant", e.FindPrimaryKey()!.Properties[0].GetColumnName()));
        Assert.All(okr.SelectMany(e => e.GetIndexes()), i => Assert.Equal("tenant", i.Properties[0].GetColumnName()));
        Assert.Equal("effective_at", db.Model.FindEntityType(typeof(CheckInRow))!.FindProperty(nameof(CheckInRow.EffectiveAt))!.GetColumnName());
    }

    [Theory]
    [InlineData("okr-")]
    [InlineData("okr; DROP TABLE x; --")]
    public void A_prefix_that_is_not_letters_digits_and_underscores_is_refused(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelBuilder().AddOkr(o => o.TablePrefix = prefix));
        Assert.Contains(prefix, error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_schema_and_a_prefix_of_the_hosts_choice_hold_a_working_store()
    {
        void Place(OkrModelOptions o)
        {
            o.Schema = "goals";
            o.TablePrefix = "";
        }

        var server = Environment.GetEnvironmentVariable(Databases.PostgresVariable)!;
        var options = new DbContextOptionsBuilder<PlacedContext>()
            .UseNpgsql(new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "okr_ef_placed_" + Guid.NewGuid().ToString("N") }.ToString())
            .Options;
        await using (var db = new PlacedContext(options, Place))
        {
            await db.Database.EnsureCreatedAsync();
            var tables = await db.Database.SqlQueryRaw<string>("SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'goals' ORDER BY 1").ToListAsync();
            Assert.Contains("check_ins", tables);
            Assert.Contains("objectives", tables);
            Assert.Equal(10, tables.Count);
        }

        var store = new EntityFrameworkCoreOkrStore<PlacedContext>(new PlacedFactory(options, Place));
        var tenant = new TenantId(Guid.NewGuid());
        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);
        await store.SavePeriodAsync(tenant, period, 0);
        Assert.Equal(1, (await store.GetPeriodAsync(tenant, period.Id))!.Version);
        Assert.True((await store.CheckHealthAsync()).IsHealthy);
    }
}
