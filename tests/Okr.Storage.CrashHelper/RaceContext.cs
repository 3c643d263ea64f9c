using Microsoft.EntityFrameworkCore;

/// <summary>A host context holding the OKR tables, for the EF Core store in the racing process.</summary>
internal sealed class RaceContext(DbContextOptions<RaceContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOkr();
}

internal sealed class RaceContextFactory(DbContextOptions<RaceContext> options) : IDbContextFactory<RaceContext>
{
    public RaceContext CreateDbContext() => new(options);
}
