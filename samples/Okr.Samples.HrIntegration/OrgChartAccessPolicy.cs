using Okr.Core;
using Okr.Core.Access;

namespace Okr.Samples.HrIntegration;

/// <summary>
/// Who may see and change which OKRs, from the org chart: people own their objectives, managers act for
/// everyone below them, a department head owns the department's objectives, colleagues in a department see
/// its team objectives, and the Head of People manages periods.
/// </summary>
public sealed class OrgChartAccessPolicy(OrgChart org) : IOkrAccessPolicy
{
    public ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken)
    {
        if (actor == owner)
        {
            return ValueTask.FromResult(OkrRelation.Owner);
        }

        if (org.Find(actor) is not { } who)
        {
            return ValueTask.FromResult(OkrRelation.None);
        }

        var relation = owner.Kind switch
        {
            OwnerKind.Person when org.Find(owner) is { } person =>
                org.Manages(who, person) ? OkrRelation.Owner : person.Department == who.Department ? OkrRelation.Team : OkrRelation.None,
            OwnerKind.Team when org.HeadOf(owner.ExternalId) is { } head =>
                head.Id == who.Id || org.Manages(who, head) ? OkrRelation.Owner : who.Department == owner.ExternalId ? OkrRelation.Team : OkrRelation.None,
            OwnerKind.OrganizationUnit => who.ManagerId is null ? OkrRelation.Owner : OkrRelation.Team,
            _ => OkrRelation.None,
        };
        return ValueTask.FromResult(relation);
    }

    public async ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) =>
        await RelationAsync(tenant, actor, owner, cancellationToken).ConfigureAwait(false) == OkrRelation.Owner;

    public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) =>
        ValueTask.FromResult(org.Find(actor) is { Department: "People" } e && org.HeadOf("People")?.Id == e.Id);
}
