using System.Text.Json;
using System.Text.Json.Serialization;
using nietras.SeparatedValues;
using Okr.Core;
using Okr.Reporting;

namespace Okr.Samples.HrIntegration;

/// <summary>A person as the HR system knows them; the employee id is the external id of their <see cref="OwnerRef"/>.</summary>
public sealed record Employee(string Id, string Name, string Email, string Department, string? ManagerId, string Source)
{
    public OwnerRef Owner => OwnerRef.Person(Id);
}

/// <summary>
/// The org chart, read from the HR system's CSV export and merged with the identity provider's SCIM users
/// (which also list contractors the HR export leaves out). Departments own team objectives. It is also the directory
/// reports and exports take people's names from.
/// </summary>
public sealed class OrgChart : IOwnerDirectory
{
    private readonly Dictionary<string, Employee> _byId;

    private OrgChart(Dictionary<string, Employee> byId) => _byId = byId;

    public IReadOnlyCollection<Employee> Employees => _byId.Values;

    public static OrgChart Load(string csvPath, string scimPath, TextWriter log)
    {
        var byId = new Dictionary<string, Employee>(StringComparer.Ordinal);
        using (var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(csvPath))
        {
            foreach (var row in reader)
            {
                var manager = row["manager_id"].ToString();
                var e = new Employee(row["employee_id"].ToString(), row["name"].ToString(), row["email"].ToString(), row["department"].ToString(), manager.Length == 0 ? null : manager, "HR CSV");
                byId[e.Id] = e;
            }
        }

        var fromCsv = byId.Count;
        var users = JsonSerializer.Deserialize(File.ReadAllText(scimPath), ScimJson.Default.ScimListResponse)?.Resources ?? [];
        var disagreements = 0;
        foreach (var user in users.Where(u => u.Active))
        {
            var id = user.Enterprise?.EmployeeNumber ?? user.ExternalId;
            if (string.IsNullOrEmpty(id))
            {
                continue;
            }

            var scim = new Employee(id, user.DisplayName ?? user.UserName, user.Emails?.FirstOrDefault(m => m.Primary)?.Value ?? user.UserName, user.Enterprise?.Department ?? "Unknown", user.Enterprise?.Manager?.Value, "SCIM");
            if (!byId.TryGetValue(id, out var known))
            {
                byId[id] = scim;
            }
            else if (known.ManagerId != scim.ManagerId || known.Department != scim.Department)
            {
                disagreements++;   // HR is the system of record for employees; the identity provider only adds people.
            }
        }

        log.WriteLine($"Org chart: {fromCsv} employees from the HR CSV, {byId.Count - fromCsv} contractors from SCIM, {disagreements} disagreements.");
        return new OrgChart(byId);
    }

    public Employee? Find(OwnerRef owner) => owner.Kind == OwnerKind.Person ? _byId.GetValueOrDefault(owner.ExternalId) : null;

    public Employee Get(string id) => _byId[id];

    /// <summary>People by their names, teams (departments) by theirs; anyone else by reference.</summary>
    public ValueTask<IReadOnlyDictionary<OwnerRef, string>> GetDisplayNamesAsync(TenantId tenant, IReadOnlyCollection<OwnerRef> owners, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyDictionary<OwnerRef, string>>(owners
            .Select(o => (Owner: o, Name: Find(o)?.Name ?? (o.Kind == OwnerKind.Team ? $"{o.ExternalId} department" : null)))
            .Where(x => x.Name is not null)
            .ToDictionary(x => x.Owner, x => x.Name!));

    public Employee? ManagerOf(Employee e) => e.ManagerId is { } m ? _byId.GetValueOrDefault(m) : null;

    /// <summary>The department's head: the member whose manager sits outside the department.</summary>
    public Employee? HeadOf(string department) =>
        _byId.Values.FirstOrDefault(e => e.Department == department && (ManagerOf(e) is not { } m || m.Department != department));

    /// <summary>Whether <paramref name="manager"/> is above <paramref name="e"/> in the chart.</summary>
    public bool Manages(Employee manager, Employee e)
    {
        for (var m = ManagerOf(e); m is not null; m = ManagerOf(m))
        {
            if (m.Id == manager.Id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Who acts for an owner: the person, a team's head, or the CEO for the company.</summary>
    public Employee ActorFor(OwnerRef owner) => owner.Kind switch
    {
        OwnerKind.Person => Get(owner.ExternalId),
        OwnerKind.Team => HeadOf(owner.ExternalId) ?? throw new InvalidOperationException($"Department {owner.ExternalId} has no head."),
        _ => _byId.Values.Single(e => e.ManagerId is null),
    };
}

// SCIM 2.0 ListResponse of users with the enterprise extension (RFC 7643 §4.3): only the members used here.
public sealed record ScimListResponse(List<ScimUser> Resources);

public sealed record ScimUser(
    string UserName,
    string? ExternalId,
    string? DisplayName,
    bool Active,
    List<ScimEmail>? Emails,
    [property: JsonPropertyName("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")] ScimEnterprise? Enterprise);

public sealed record ScimEmail(string Value, bool Primary);

public sealed record ScimEnterprise(string? EmployeeNumber, string? Department, ScimManager? Manager);

public sealed record ScimManager(string Value);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ScimListResponse))]
internal sealed partial class ScimJson : JsonSerializerContext;
