using Okr.Core.Health;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>An objective's standing.</summary>
public sealed class ObjectiveStatus
{
    internal ObjectiveStatus(ObjectiveProgress progress, HealthAssessment health, IReadOnlyList<KeyResultStatus> keyResults)
    {
        Progress = progress;
        Health = health;
        KeyResults = keyResults;
    }

    /// <summary>Its progress and how it was made up.</summary>
    public ObjectiveProgress Progress { get; }

    /// <summary>Its health: its progress against the pace, stale when none of its key results had a check-in for too long, the lowest confidence given.</summary>
    public HealthAssessment Health { get; }

    /// <summary>Each key result's standing.</summary>
    public IReadOnlyList<KeyResultStatus> KeyResults { get; }
}
