namespace Okr.Core.Access;

/// <summary>How an actor stands to the owner of an objective, as the host's organisation defines it.</summary>
public enum OkrRelation
{
    /// <summary>No relation: the actor sees only public objectives of this owner.</summary>
    None = 0,

    /// <summary>The actor belongs to the owner's team (a colleague, a member of the owning team or unit, a manager): team objectives are visible.</summary>
    Team = 1,

    /// <summary>The actor is the owner (or acts for them): private objectives are visible.</summary>
    Owner = 2,
}
