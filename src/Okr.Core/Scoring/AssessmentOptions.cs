namespace Okr.Core.Scoring;

/// <summary>What grade counts as meeting an objective, by kind.</summary>
public sealed record AssessmentOptions
{
    /// <summary>The grade a committed objective must reach; 1.0 by default (anything less is a miss to explain).</summary>
    public double CommittedExpectation { get; init; } = 1.0;

    /// <summary>The grade an aspirational objective is expected to reach; 0.7 by default.</summary>
    public double AspirationalExpectation { get; init; } = 0.7;

    /// <summary>The expectation for a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The expected grade.</returns>
    public double For(ObjectiveKind kind) => kind == ObjectiveKind.Committed ? CommittedExpectation : AspirationalExpectation;
}
