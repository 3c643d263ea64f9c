namespace Okr.Core.Scoring;

/// <summary>The score of one key result within an objective's roll-up.</summary>
public sealed class KeyResultProgress
{
    /// <summary>Initializes a new instance of the <see cref="KeyResultProgress"/> class.</summary>
    /// <param name="keyResult">The key result.</param>
    /// <param name="score">Its score when measured and it has a value; null otherwise.</param>
    /// <param name="progress">The progress that enters the roll-up: the score's, or the aligned objectives' roll-up for a derived key result; null for no data.</param>
    public KeyResultProgress(KeyResult keyResult, Score? score, double? progress)
    {
        KeyResult = keyResult;
        Score = score;
        Progress = progress;
    }

    /// <summary>The key result.</summary>
    public KeyResult KeyResult { get; }

    /// <summary>Its score when measured and it has a value; null otherwise.</summary>
    public Score? Score { get; }

    /// <summary>The progress that enters the roll-up: the score's, or the aligned objectives' roll-up for a derived key result; null for no data.</summary>
    public double? Progress { get; }
}
