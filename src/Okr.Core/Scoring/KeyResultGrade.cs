namespace Okr.Core.Scoring;

/// <summary>The final grade of one key result: its progress at close, no data counting as 0.</summary>
public sealed class KeyResultGrade
{
    internal KeyResultGrade(KeyResult keyResult, double? grade, Score? score)
    {
        KeyResult = keyResult;
        Grade = grade;
        Score = score;
    }

    /// <summary>The key result.</summary>
    public KeyResult KeyResult { get; }

    /// <summary>The grade, 0..1 (null for a cancelled key result, which is not graded).</summary>
    public double? Grade { get; }

    /// <summary>The score it came from, when the key result had a value.</summary>
    public Score? Score { get; }
}
