namespace Okr.Core.Scoring;

/// <summary>An objective's progress and how it was made up.</summary>
/// <param name="Objective">The objective.</param>
/// <param name="Progress">The objective's progress, or null for no data.</param>
/// <param name="FromKeyResults">The roll-up of its (non-cancelled) key results.</param>
/// <param name="FromAlignedObjectives">The roll-up of the objectives aligned directly to it (contributing, not cancelled).</param>
/// <param name="KeyResults">Each key result's progress, in the objective's order (cancelled ones included, never counted).</param>
public sealed record ObjectiveProgress(Objective Objective, double? Progress, double? FromKeyResults, double? FromAlignedObjectives, IReadOnlyList<KeyResultProgress> KeyResults);
