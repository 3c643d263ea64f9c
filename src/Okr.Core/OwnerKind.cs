namespace Okr.Core;

/// <summary>What kind of host entity owns an objective or key result.</summary>
public enum OwnerKind
{
    /// <summary>One person in the host system.</summary>
    Person = 1,

    /// <summary>A team.</summary>
    Team = 2,

    /// <summary>An organisation unit: a department, a division, the whole company.</summary>
    OrganizationUnit = 3,
}
