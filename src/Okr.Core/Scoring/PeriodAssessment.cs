namespace Okr.Core.Scoring;

/// <summary>The final assessment of a period.</summary>
/// <param name="Score">The period's score: the mean of its top-level objectives' grades that stand (null when none counts).</param>
/// <param name="Objectives">Each objective's assessment.</param>
public sealed record PeriodAssessment(double? Score, IReadOnlyList<ObjectiveAssessment> Objectives);
