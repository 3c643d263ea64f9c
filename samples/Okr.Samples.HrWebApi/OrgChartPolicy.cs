using Microsoft.EntityFrameworkCore;
using Okr.Core;
using Okr.Core.Access;

namespace Okr.Samples.HrWebApi;

/// <summary>
/// Who may see and change what, from the HR system's own org chart (a scoped service over the request's
/// <see cref="HrContext"/>): people own their objectives and their reports'; a team's lead and the lead's managers own
/// the team's; team mates see each other's team-visible ones; HR plans and closes periods.
/// </summary>
public sealed class OrgChartPolicy(HrContext db) : IOkrAccessPolicy
{
    // The tenant's org chart, read once per request (the policy is scoped): a summary asks about every objective.
    private (TenantId Tenant, Dictionary<string, Employee> People, Dictionary<string, Team> Teams)? _chart;

    public async ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken)
    {
        if (actor == owner)
        {
            return OkrRelation.Owner;
        }

        var (people, teams) = await ChartAsync(tenant, cancellationToken);
        if (!people.TryGetValue(actor.ExternalId, out var who))
        {
            return OkrRelation.None;
        }

        bool Manages(string? id)
        {
            for (var e = id is null ? null : people.GetValueOrDefault(id); e?.ManagerId is { } manager; e = people.GetValueOrDefault(manager))
            {
                if (manager == who.Id)
                {
                    return true;
                }
            }

            return false;
        }

        switch (owner.Kind)
        {
            case OwnerKind.Person when people.GetValueOrDefault(owner.ExternalId) is { } person:
                return Manages(person.Id) ? OkrRelation.Owner : person.TeamId is not null && person.TeamId == who.TeamId ? OkrRelation.Team : OkrRelation.None;
            case OwnerKind.Team:
                var team = teams.GetValueOrDefault(owner.ExternalId);
                return team is null ? OkrRelation.None
                    : team.LeadId == who.Id || Manages(team.LeadId) ? OkrRelation.Owner
                    : who.TeamId == team.Id ? OkrRelation.Team : OkrRelation.None;
            default:
                return OkrRelation.None;
        }
    }

    public async ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) =>
        await RelationAsync(tenant, actor, owner, cancellationToken) == OkrRelation.Owner;

    public async ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) =>
        (await ChartAsync(tenant, cancellationToken)).People.GetValueOrDefault(actor.ExternalId) is { IsHr: true };

    private async ValueTask<(Dictionary<string, Employee> People, Dictionary<string, Team> Teams)> ChartAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        if (_chart is not { } chart || chart.Tenant != tenant)
        {
            var people = await db.Employees.AsNoTracking().Where(e => e.Tenant == tenant.Value).ToDictionaryAsync(e => e.Id, cancellationToken);
            var teams = await db.Teams.AsNoTracking().Where(t => t.Tenant == tenant.Value).ToDictionaryAsync(t => t.Id, cancellationToken);
            _chart = chart = (tenant, people, teams);
        }

        return (chart.People, chart.Teams);
    }
}
