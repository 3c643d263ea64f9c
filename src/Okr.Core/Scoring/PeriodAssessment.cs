namespace Okr.Core.Scoring;

/// <summary>The final assessment of a period.</summary>
public sealed class PeriodAssessment
{
    internal PeriodAssessment(double? score, IReadOnlyList<ObjectiveAssessment> objectives)
    {
        Score = score;
        Objectives = objectives;
    }

    /// <summary>The period's score: the mean of its top-level objectives' grades that stand (null when none counts).</summary>
    public double? Score { get; }

    /// <summary>Each objective's assessment.</summary>
    public IReadOnlyList<ObjectiveAssessment> Objectives { get; }
}
