namespace Okr.Core.Scoring;

/// <summary>The final assessment of one objective.</summary>
public sealed class ObjectiveAssessment
{
    internal ObjectiveAssessment(Objective objective, FinalGrade grade, double expected, IReadOnlyList<KeyResultGrade> keyResults)
    {
        Objective = objective;
        Grade = grade;
        Expected = expected;
        KeyResults = keyResults;
    }

    /// <summary>The objective.</summary>
    public Objective Objective { get; }

    /// <summary>The final grade (computed, or overridden with who and why).</summary>
    public FinalGrade Grade { get; }

    /// <summary>The grade its kind is expected to reach.</summary>
    public double Expected { get; }

    /// <summary>The grade of each key result.</summary>
    public IReadOnlyList<KeyResultGrade> KeyResults { get; }

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
    public ObjectiveAssessment OverrideGrade(double grade, OwnerRef by, string reason) => WithGrade(Grade.Override(grade, by, reason));

    internal ObjectiveAssessment WithGrade(FinalGrade grade) => new(Objective, grade, Expected, KeyResults);
}
