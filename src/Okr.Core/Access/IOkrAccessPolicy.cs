namespace Okr.Core.Access;

/// <summary>
/// The host's answer to who may read or write which owner's objectives. The facade
/// (<see cref="Service.OkrService.As"/>) asks it before every call and enforces visibility with its answers:
/// a <see cref="Visibility.Public"/> objective is readable by anyone, a <see cref="Visibility.Team"/> one by
/// <see cref="OkrRelation.Team"/> or closer, a <see cref="Visibility.Private"/> one by <see cref="OkrRelation.Owner"/>
/// only; a write needs read access and <see cref="CanWriteAsync"/>.
/// </summary>
/// <remarks>
/// Implementations typically look the actor up in the host's org chart. Calls may come from many threads.
/// A denial surfaces as <see cref="OkrAccessDeniedException"/>, and nothing is written.
/// </remarks>
public interface IOkrAccessPolicy
{
    /// <summary>How <paramref name="actor"/> stands to <paramref name="owner"/> in <paramref name="tenant"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="actor">Who calls.</param>
    /// <param name="owner">The owner of the objective.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The relation.</returns>
    ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="actor"/> may change objectives owned by <paramref name="owner"/> (and record check-ins on them).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="actor">Who calls.</param>
    /// <param name="owner">The owner of the objective (for a new or re-owned objective, the new owner).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>True to allow.</returns>
    ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="actor"/> may create, activate, close, reopen and archive periods.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="actor">Who calls.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>True to allow.</returns>
    ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="actor"/> may record a check-in in the name of <paramref name="author"/> (an assistant
    /// entering a manager's numbers, an integration posting for a team). Asked only when the author is not the actor;
    /// the default refuses, so under <see cref="Service.OkrService.As"/> a check-in's author is the actor unless the host says otherwise.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="actor">Who calls.</param>
    /// <param name="author">The author the check-in names.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>True to allow.</returns>
    ValueTask<bool> CanRecordForAsync(TenantId tenant, OwnerRef actor, OwnerRef author, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>
    /// Whether <paramref name="actor"/> may import documents into the tenant or export its data whole
    /// (<see cref="Service.OkrService.Transfer"/>): a document holds every objective, whatever its visibility. The
    /// default asks <see cref="CanManagePeriodsAsync"/>: the people who run the cycle.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="actor">Who calls.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>True to allow.</returns>
    ValueTask<bool> CanTransferAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => CanManagePeriodsAsync(tenant, actor, cancellationToken);
}
