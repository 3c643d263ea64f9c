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

/// <summary>The final grade of one key result: its progress at close, no data counting as 0.</summary>
/// <param name="KeyResult">The key result.</param>
/// <param name="Grade">The grade, 0..1 (null for a cancelled key result, which is not graded).</param>
/// <param name="Score">The score it came from, when the key result had a value.</param>
public sealed record KeyResultGrade(KeyResult KeyResult, double? Grade, Score? Score);

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

/// <summary>The final assessment of a period.</summary>
/// <param name="Score">The period's score: the mean of its top-level objectives' grades that stand (null when none counts).</param>
/// <param name="Objectives">Each objective's assessment.</param>
public sealed record PeriodAssessment(double? Score, IReadOnlyList<ObjectiveAssessment> Objectives);

/// <summary>Grades objectives and periods at close.</summary>
/// <param name="scoring">The scoring and roll-up used; <see cref="OkrScoring.Default"/> when null.</param>
/// <param name="options">The expectations; defaults when null.</param>
public sealed class OkrAssessor(OkrScoring? scoring = null, AssessmentOptions? options = null)
{
    /// <summary>The scoring and roll-up used.</summary>
    public OkrScoring Scoring { get; } = scoring ?? OkrScoring.Default;

    /// <summary>The expectations.</summary>
    public AssessmentOptions Options { get; } = options ?? new AssessmentOptions();

    /// <summary>
    /// Grades an objective: the computed grade is its progress clamped to 0..1, no data counting as 0
    /// (at close, silence is not success).
    /// </summary>
    /// <param name="progress">The objective's progress, from <see cref="OkrScoring.Evaluate"/>.</param>
    /// <returns>The assessment.</returns>
    public ObjectiveAssessment Assess(ObjectiveProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var krs = progress.KeyResults
            .Select(k => new KeyResultGrade(k.KeyResult, k.KeyResult.IsCancelled ? null : Math.Clamp(k.Progress ?? 0, 0, 1), k.Score))
            .ToList();
        var grade = FinalGrade.FromComputed(Math.Clamp(progress.Progress ?? 0, 0, 1));
        return new ObjectiveAssessment(progress.Objective, grade, Options.For(progress.Objective.Kind), krs);
    }

    /// <summary>
    /// Grades a period: the mean of the grades that stand (overrides included) of its top-level
    /// objectives, cancelled ones left out.
    /// </summary>
    /// <param name="objectives">Every objective's assessment.</param>
    /// <returns>The period assessment.</returns>
    public PeriodAssessment AssessPeriod(IReadOnlyCollection<ObjectiveAssessment> objectives)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        var asProgress = objectives.Select(a => new ObjectiveProgress(a.Objective, a.Grade.Value, null, null, [])).ToList();
        return new PeriodAssessment(Scoring.PeriodScore(asProgress), [.. objectives]);
    }
}
