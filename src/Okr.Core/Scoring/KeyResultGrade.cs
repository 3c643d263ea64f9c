namespace Okr.Core.Scoring;

/// <summary>The final grade of one key result: its progress at close, no data counting as 0.</summary>
/// <param name="KeyResult">The key result.</param>
/// <param name="Grade">The grade, 0..1 (null for a cancelled key result, which is not graded).</param>
/// <param name="Score">The score it came from, when the key result had a value.</param>
public sealed record KeyResultGrade(KeyResult KeyResult, double? Grade, Score? Score);
