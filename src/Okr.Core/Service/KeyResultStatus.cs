using Okr.Core.Health;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>A key result's standing: its progress, latest check-in, health and (for a single objective) forecast.</summary>
/// <param name="Progress">Its score and progress.</param>
/// <param name="Latest">The check-in in force now, if any.</param>
/// <param name="Health">Its health now.</param>
/// <param name="Forecast">Where it is heading by the end of the period; only filled by <see cref="OkrProgress.GetObjectiveStatusAsync"/>.</param>
public sealed record KeyResultStatus(KeyResultProgress Progress, CheckIn? Latest, HealthAssessment Health, Forecast? Forecast);
