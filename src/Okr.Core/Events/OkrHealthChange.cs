namespace Okr.Core.Events;

/// <summary>What a <see cref="OkrEventTypes.HealthChanged"/> event says.</summary>
/// <param name="Objective">The objective that holds the key result.</param>
/// <param name="KeyResult">The key result.</param>
/// <param name="Previous">The health its previous check-in reported.</param>
/// <param name="Current">The health after the check-in.</param>
/// <param name="Progress">The progress after the check-in, when measured.</param>
/// <param name="ExpectedProgress">The progress expected by then.</param>
public sealed record OkrHealthChange(ObjectiveId Objective, KeyResultId KeyResult, Health.HealthStatus Previous, Health.HealthStatus Current, double? Progress, double ExpectedProgress);
