namespace Okr.Core.Storage;

/// <summary>What <see cref="IOkrStore.CommitAsync"/> stored.</summary>
/// <param name="Periods">The periods written, in the unit's order, with their new versions.</param>
/// <param name="Objectives">The objectives written, in the unit's order, with their new versions.</param>
/// <param name="CheckInsAdded">How many check-ins were new (identical ones already stored are skipped).</param>
public sealed record OkrCommitResult(IReadOnlyList<OkrPeriod> Periods, IReadOnlyList<Objective> Objectives, int CheckInsAdded)
{
    /// <summary>The events written, with their sequence numbers (events of check-ins stored before are left out).</summary>
    public IReadOnlyList<Events.OkrEvent> Events { get; init; } = [];
}
