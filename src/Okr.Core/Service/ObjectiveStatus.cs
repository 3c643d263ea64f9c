using Okr.Core.Health;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>An objective's standing.</summary>
/// <param name="Progress">Its progress and how it was made up.</param>
/// <param name="Health">Its health: its progress against the pace, stale when none of its key results had a check-in for too long, the lowest confidence given.</param>
/// <param name="KeyResults">Each key result's standing.</param>
public sealed record ObjectiveStatus(ObjectiveProgress Progress, HealthAssessment Health, IReadOnlyList<KeyResultStatus> KeyResults);
