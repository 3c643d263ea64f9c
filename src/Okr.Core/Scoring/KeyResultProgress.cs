namespace Okr.Core.Scoring;

/// <summary>The score of one key result within an objective's roll-up.</summary>
/// <param name="KeyResult">The key result.</param>
/// <param name="Score">Its score when measured and it has a value; null otherwise.</param>
/// <param name="Progress">The progress that enters the roll-up: the score's, or the aligned objectives' roll-up for a derived key result; null for no data.</param>
public sealed record KeyResultProgress(KeyResult KeyResult, Score? Score, double? Progress);
