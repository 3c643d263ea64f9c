using Microsoft.EntityFrameworkCore;

namespace Okr.Samples.HrWebApi;

/// <summary>Two customers of the HR system, each with its org chart.</summary>
public static class OrgChart
{
    /// <summary>Acme: Ada (HR) manages Grace (sales lead, over Linus) and Margaret (engineering lead, over Ken).</summary>
    public static readonly Guid Acme = Guid.Parse("0197a1c0-0000-7000-8000-00000000ac3e");

    /// <summary>Globex: Hank (HR).</summary>
    public static readonly Guid Globex = Guid.Parse("0197a1c0-0000-7000-8000-0000000061b3");

    public static async Task SeedAsync(HrContext db)
    {
        if (await db.Employees.AnyAsync())
        {
            return;
        }

        db.Employees.AddRange(
            new Employee { Tenant = Acme, Id = "ada", Name = "Ada", IsHr = true },
            new Employee { Tenant = Acme, Id = "grace", Name = "Grace", ManagerId = "ada", TeamId = "sales" },
            new Employee { Tenant = Acme, Id = "linus", Name = "Linus", ManagerId = "grace", TeamId = "sales" },
            new Employee { Tenant = Acme, Id = "margaret", Name = "Margaret", ManagerId = "ada", TeamId = "eng" },
            new Employee { Tenant = Acme, Id = "ken", Name = "Ken", ManagerId = "margaret", TeamId = "eng" },
            new Employee { Tenant = Globex, Id = "hank", Name = "Hank", IsHr = true });
        db.Teams.AddRange(
            new Team { Tenant = Acme, Id = "sales", Name = "Sales", LeadId = "grace" },
            new Team { Tenant = Acme, Id = "eng", Name = "Engineering", LeadId = "margaret" });
        await db.SaveChangesAsync();
    }
}
