namespace Okr.Core.Service;

/// <summary>Where a key result's check-in cadence comes from (<see cref="EffectiveCadence.Source"/>), nearest first.</summary>
public enum CadenceSource
{
    /// <summary>Set on the key result itself (<see cref="KeyResult.Cadence"/>).</summary>
    KeyResult = 1,

    /// <summary>Its owner's (the key result's owner, or its objective's): <see cref="OkrServiceOptions.OwnerCadences"/>.</summary>
    Owner = 2,

    /// <summary>Set on its objective (<see cref="Objective.Cadence"/>).</summary>
    Objective = 3,

    /// <summary>Inherited from an objective its objective is aligned under, directly or not, or from that objective's owner.</summary>
    AlignedObjective = 4,

    /// <summary>The tenant's (<see cref="OkrServiceOptions.Cadence"/>, <see cref="OkrTenantSettings.Cadence"/>).</summary>
    Tenant = 5,
}
