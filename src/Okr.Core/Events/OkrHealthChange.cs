namespace Okr.Core.Events;

/// <summary>What a <see cref="OkrEventTypes.HealthChanged"/> event says.</summary>
public sealed class OkrHealthChange
{
    /// <summary>Initializes a new instance of the <see cref="OkrHealthChange"/> class.</summary>
    /// <param name="objective">The objective that holds the key result.</param>
    /// <param name="keyResult">The key result.</param>
    /// <param name="previous">The health its previous check-in reported.</param>
    /// <param name="current">The health after the check-in.</param>
    /// <param name="progress">The progress after the check-in, when measured.</param>
    /// <param name="expectedProgress">The progress expected by then.</param>
    public OkrHealthChange(ObjectiveId objective, KeyResultId keyResult, Health.HealthStatus previous, Health.HealthStatus current, double? progress, double expectedProgress)
    {
        Objective = objective;
        KeyResult = keyResult;
        Previous = previous;
        Current = current;
        Progress = progress;
        ExpectedProgress = expectedProgress;
    }

    /// <summary>The objective that holds the key result.</summary>
    public ObjectiveId Objective { get; }

    /// <summary>The key result.</summary>
    public KeyResultId KeyResult { get; }

    /// <summary>The health its previous check-in reported.</summary>
    public Health.HealthStatus Previous { get; }

    /// <summary>The health after the check-in.</summary>
    public Health.HealthStatus Current { get; }

    /// <summary>The progress after the check-in, when measured.</summary>
    public double? Progress { get; }

    /// <summary>The progress expected by then.</summary>
    public double ExpectedProgress { get; }
}
