namespace Okr.Core;

/// <summary>How an objective is meant to be judged.</summary>
public enum ObjectiveKind
{
    /// <summary>A stretch goal: an average grade of 0.6–0.7 is a success.</summary>
    Aspirational = 0,

    /// <summary>A promise: anything below 1.0 is a miss to be explained.</summary>
    Committed = 1,
}
