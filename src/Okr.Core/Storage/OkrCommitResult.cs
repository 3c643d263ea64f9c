namespace Okr.Core.Storage;

/// <summary>What <see cref="IOkrStore.CommitAsync"/> stored.</summary>
public sealed class OkrCommitResult
{
    /// <summary>Initializes a new instance of the <see cref="OkrCommitResult"/> class.</summary>
    /// <param name="periods">The periods written, in the unit's order, with their new versions.</param>
    /// <param name="objectives">The objectives written, in the unit's order, with their new versions.</param>
    /// <param name="checkInsAdded">How many check-ins were new (identical ones already stored are skipped).</param>
    public OkrCommitResult(IReadOnlyList<OkrPeriod> periods, IReadOnlyList<Objective> objectives, int checkInsAdded)
    {
        Periods = periods;
        Objectives = objectives;
        CheckInsAdded = checkInsAdded;
    }

    /// <summary>The periods written, in the unit's order, with their new versions.</summary>
    public IReadOnlyList<OkrPeriod> Periods { get; }

    /// <summary>The objectives written, in the unit's order, with their new versions.</summary>
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>How many check-ins were new (identical ones already stored are skipped).</summary>
    public int CheckInsAdded { get; }

    /// <summary>The events written, with their sequence numbers (events of check-ins stored before are left out).</summary>
    public IReadOnlyList<Events.OkrEvent> Events { get; init; } = [];
}
