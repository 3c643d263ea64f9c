namespace Okr.Core.Rules;

/// <summary>A proposed write of an objective, with the context rules need to judge it.</summary>
public sealed class ObjectiveChange
{
    /// <summary>Initializes a new instance of the <see cref="ObjectiveChange"/> class.</summary>
    /// <param name="before">The stored objective, or null when it is being created.</param>
    /// <param name="after">The objective as it would be written.</param>
    /// <param name="period">The period <paramref name="after"/> belongs to.</param>
    /// <param name="keyResultsWithCheckIns">The key results of the objective that already have at least one check-in.</param>
    public ObjectiveChange(Objective? before, Objective after, OkrPeriod period, IReadOnlySet<KeyResultId> keyResultsWithCheckIns)
    {
        Before = before;
        After = after;
        Period = period;
        KeyResultsWithCheckIns = keyResultsWithCheckIns;
    }

    /// <summary>The stored objective, or null when it is being created.</summary>
    public Objective? Before { get; }

    /// <summary>The objective as it would be written.</summary>
    public Objective After { get; }

    /// <summary>The period <see cref="After"/> belongs to.</summary>
    public OkrPeriod Period { get; }

    /// <summary>The key results of the objective that already have at least one check-in.</summary>
    public IReadOnlySet<KeyResultId> KeyResultsWithCheckIns { get; }

    /// <summary>Whether this change moves the objective into the Active state.</summary>
    public bool IsActivation => After.State == ObjectiveState.Active && Before?.State != ObjectiveState.Active;
}
