namespace Okr.Core.Scoring;

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
