namespace Okr.Core.Service;

/// <summary>The cadence a key result follows, and where it was set (<see cref="OkrCheckIns.CadenceOfAsync"/>).</summary>
public sealed class EffectiveCadence
{
    internal EffectiveCadence(CheckInCadence cadence, CadenceSource source, ObjectiveId? objective, OwnerRef? owner)
    {
        Cadence = cadence;
        Source = source;
        Objective = objective;
        Owner = owner;
    }

    /// <summary>The cadence.</summary>
    public CheckInCadence Cadence { get; }

    /// <summary>Where it comes from.</summary>
    public CadenceSource Source { get; }

    /// <summary>
    /// The objective it was set on (<see cref="CadenceSource.Objective"/>), or inherited from
    /// (<see cref="CadenceSource.AlignedObjective"/>: the objective, or the objective whose owner's cadence it is); null
    /// for the other sources, and when the acting person may not read that objective.
    /// </summary>
    public ObjectiveId? Objective { get; }

    /// <summary>
    /// The owner whose cadence it is (<see cref="CadenceSource.Owner"/>, or an aligned objective's owner); null otherwise,
    /// and when it is the owner of an aligned objective the acting person may not read.
    /// </summary>
    public OwnerRef? Owner { get; }

    internal EffectiveCadence Inherited() => Source == CadenceSource.AlignedObjective ? this : new(Cadence, CadenceSource.AlignedObjective, Objective, Owner);

    /// <summary>The same cadence without naming a hidden objective, nor the owner it was inherited from.</summary>
    internal EffectiveCadence Hiding(ObjectiveId hidden) => Objective == hidden ? new(Cadence, Source, null, Source == CadenceSource.AlignedObjective ? null : Owner) : this;

    /// <summary>The cadence and its source in words: "weekly on Monday, from the objective 0192…".</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Source switch
    {
        CadenceSource.Owner => $"{Cadence}, from the owner {Owner}",
        CadenceSource.Objective or CadenceSource.AlignedObjective when Objective is { } o => $"{Cadence}, from the {(Source == CadenceSource.Objective ? "objective" : "aligned objective")} {o}{(Owner is { } who ? $"'s owner {who}" : string.Empty)}",
        CadenceSource.AlignedObjective => $"{Cadence}, from an aligned objective",
        CadenceSource.KeyResult => $"{Cadence}, set on the key result",
        _ => $"{Cadence}, the tenant's",
    };
}
