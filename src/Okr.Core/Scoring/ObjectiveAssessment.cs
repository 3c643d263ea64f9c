namespace Okr.Core.Scoring;

/// <summary>The final assessment of one objective.</summary>
/// <param name="Objective">The objective.</param>
/// <param name="Grade">The final grade (computed, or overridden with who and why).</param>
/// <param name="Expected">The grade its kind is expected to reach.</param>
/// <param name="KeyResults">The grade of each key result.</param>
public sealed record ObjectiveAssessment(Objective Objective, FinalGrade Grade, double Expected, IReadOnlyList<KeyResultGrade> KeyResults)
{
    /// <summary>Whether the grade that stands reaches the expectation.</summary>
    public bool Met => Grade.Value >= Expected - 1e-9;

    /// <summary>The band of the grade that stands.</summary>
    public GradeBand Band => GradeBands.Of(Grade.Value);

    /// <summary>Returns this assessment with the grade overridden by a person.</summary>
    /// <param name="grade">The grade that stands, 0..1.</param>
    /// <param name="by">Who overrides it.</param>
    /// <param name="reason">Why; not blank.</param>
    /// <returns>The new assessment; the computed grade is kept.</returns>
    /// <exception cref="OkrValidationException">An argument is invalid.</exception>
    public ObjectiveAssessment OverrideGrade(double grade, OwnerRef by, string reason) => this with { Grade = Grade.Override(grade, by, reason) };
}
