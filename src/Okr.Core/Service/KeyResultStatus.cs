using Okr.Core.Health;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>A key result's standing: its progress, latest check-in, health and (for a single objective) forecast.</summary>
public sealed class KeyResultStatus
{
    internal KeyResultStatus(KeyResultProgress progress, CheckIn? latest, HealthAssessment health, Forecast? forecast)
    {
        Progress = progress;
        Latest = latest;
        Health = health;
        Forecast = forecast;
    }

    /// <summary>Its score and progress.</summary>
    public KeyResultProgress Progress { get; }

    /// <summary>The check-in in force now, if any.</summary>
    public CheckIn? Latest { get; }

    /// <summary>Its health now.</summary>
    public HealthAssessment Health { get; }

    /// <summary>Where it is heading by the end of the period; only filled by <see cref="OkrProgress.GetObjectiveStatusAsync"/>.</summary>
    public Forecast? Forecast { get; }
}
