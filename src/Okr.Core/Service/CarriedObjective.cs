namespace Okr.Core.Service;

/// <summary>One objective <see cref="OkrPeriods.CarryOverAsync"/> carried, or found already carried.</summary>
public sealed class CarriedObjective
{
    internal CarriedObjective(Objective source, Objective copy, bool alreadyCarried, IReadOnlyList<CarriedLink> links, IReadOnlyList<KeyResultId> rebased)
    {
        Source = source;
        Copy = copy;
        AlreadyCarried = alreadyCarried;
        Links = links;
        Rebased = rebased;
    }

    /// <summary>The objective in the source period, as read.</summary>
    public Objective Source { get; }

    /// <summary>The copy in the target period, as stored (its <see cref="Objective.CarriedFrom"/> is the source).</summary>
    public Objective Copy { get; }

    /// <summary>True when an earlier call had carried it: nothing was written for it, and <see cref="Copy"/> is the stored copy as it stands.</summary>
    public bool AlreadyCarried { get; }

    /// <summary>What became of each of the source's links; empty when <see cref="AlreadyCarried"/>.</summary>
    public IReadOnlyList<CarriedLink> Links { get; }

    /// <summary>The copy's key results whose baseline moved to the value in force at the end of the source period.</summary>
    public IReadOnlyList<KeyResultId> Rebased { get; }
}
