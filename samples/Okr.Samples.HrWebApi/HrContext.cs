using Microsoft.EntityFrameworkCore;

namespace Okr.Samples.HrWebApi;

/// <summary>The HR system's own database: its employees and teams, and the OKR tables mapped beside them.</summary>
public sealed class HrContext(DbContextOptions<HrContext> options) : DbContext(options)
{
    public DbSet<Employee> Employees => Set<Employee>();

    public DbSet<Team> Teams => Set<Team>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Employee>(e =>
        {
            e.ToTable("employees");
            e.HasKey(x => new { x.Tenant, x.Id });
        });
        modelBuilder.Entity<Team>(e =>
        {
            e.ToTable("teams");
            e.HasKey(x => new { x.Tenant, x.Id });
        });
        modelBuilder.AddOkr();
    }
}

/// <summary>A person in a customer's org chart.</summary>
public sealed class Employee
{
    public Guid Tenant { get; set; }

    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string? ManagerId { get; set; }

    public string? TeamId { get; set; }

    /// <summary>People team: may plan and close periods, import and export.</summary>
    public bool IsHr { get; set; }
}

/// <summary>A team, led by one employee.</summary>
public sealed class Team
{
    public Guid Tenant { get; set; }

    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string LeadId { get; set; } = "";
}
