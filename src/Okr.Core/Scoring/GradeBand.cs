namespace Okr.Core.Scoring;

/// <summary>The colour band of a grade, as in Google-style OKR grading.</summary>
public enum GradeBand
{
    /// <summary>0.0–0.3: little progress.</summary>
    Red = 0,

    /// <summary>0.4–0.6: progress, short of the target.</summary>
    Yellow = 1,

    /// <summary>0.7–1.0: delivered.</summary>
    Green = 2,
}
