namespace Okr.Core.Scoring;

/// <summary>
/// Applies a scoring policy and a roll-up policy: key result scores, objective progress from key
/// results and/or aligned objectives, and the period score. One formula, one place.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Cancelled key results and cancelled objectives are always left out.</item>
/// <item>Only <see cref="AlignmentKind.Contributes"/> links count; <see cref="AlignmentKind.Supports"/> links are shown only.</item>
/// <item>A child aligned to a key result feeds that key result when its progress source is
/// <see cref="ProgressSource.FromAlignedObjectives"/>, and is shown only otherwise; a child aligned to
/// the objective itself feeds the objective's <see cref="ObjectiveProgress.FromAlignedObjectives"/>.</item>
/// </list>
/// </remarks>
public sealed class OkrScoring
{
    /// <summary>Creates the calculator.</summary>
    /// <param name="scoring">The scoring policy; <see cref="LinearScoringPolicy.Default"/> when null.</param>
    /// <param name="rollup">The roll-up policy; <see cref="WeightedMeanRollup.Default"/> when null.</param>
    /// <param name="source">Where objective progress comes from; <see cref="RollupSource.KeyResults"/> when null.</param>
    public OkrScoring(IScoringPolicy? scoring = null, IRollupPolicy? rollup = null, RollupSource? source = null)
    {
        Policy = scoring ?? LinearScoringPolicy.Default;
        Rollup = rollup ?? WeightedMeanRollup.Default;
        Source = source ?? RollupSource.KeyResults;
    }

    /// <summary>Linear scoring, weighted mean (no data as zero), progress from key results.</summary>
    public static OkrScoring Default { get; } = new();

    /// <summary>The scoring policy: how a key result's value becomes its progress (<c>options.Scoring.Policy.Score(…)</c>).</summary>
    public IScoringPolicy Policy { get; }

    /// <summary>The roll-up policy.</summary>
    public IRollupPolicy Rollup { get; }

    /// <summary>Where objective progress comes from.</summary>
    public RollupSource Source { get; }

    /// <summary>Scores a key result's value; null when there is no value ("no data", not zero).</summary>
    /// <param name="keyResult">The key result.</param>
    /// <param name="value">Its value in force, or null.</param>
    /// <returns>The score, or null.</returns>
    public Score? ScoreKeyResult(KeyResult keyResult, decimal? value)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        return value is { } v ? Policy.Score(keyResult, v) : null;
    }

    /// <summary>Computes an objective's progress.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="valueOf">The value in force of each of its key results, or null for none yet.</param>
    /// <param name="children">The progress of objectives aligned to it (links to other parents are ignored).</param>
    /// <returns>The progress and its parts.</returns>
    public ObjectiveProgress Evaluate(Objective objective, Func<KeyResultId, decimal?> valueOf, IEnumerable<ChildProgress>? children = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(valueOf);
        var counted = (children ?? [])
            .Where(c => c.Link.ParentObjectiveId == objective.Id && c.Link.Kind == AlignmentKind.Contributes && c.Child.State != ObjectiveState.Cancelled)
            .ToList();

        var krs = new List<KeyResultProgress>(objective.KeyResults.Count);
        var krItems = new List<RollupItem>(objective.KeyResults.Count);
        foreach (var kr in objective.KeyResults)
        {
            KeyResultProgress progress;
            if (kr.ProgressSource == ProgressSource.FromAlignedObjectives)
            {
                progress = new KeyResultProgress(kr, null, Combine(counted.Where(c => c.Link.ParentKeyResultId == kr.Id)));
            }
            else
            {
                var score = ScoreKeyResult(kr, valueOf(kr.Id));
                progress = new KeyResultProgress(kr, score, score?.Progress);
            }

            krs.Add(progress);
            if (!kr.IsCancelled)
            {
                krItems.Add(new RollupItem(progress.Progress, kr.Weight));
            }
        }

        var fromKeyResults = Rollup.Combine(krItems);
        var direct = counted.Where(c => c.Link.ParentKeyResultId is null).ToList();
        var fromChildren = Combine(direct);
        var total = (direct.Count, krItems.Count, Source.KeyResultShare) switch
        {
            // A side with nothing on it at all (no key results, nobody aligned to it) is not "no data":
            // the other side stands alone, whatever the source.
            (0, _, _) => fromKeyResults,
            (_, 0, _) => fromChildren,
            (_, _, 1.0) => fromKeyResults,
            (_, _, 0.0) => fromChildren,
            (_, _, var share) => Rollup.Combine([new RollupItem(fromKeyResults, share), new RollupItem(fromChildren, 1 - share)]),
        };
        return new ObjectiveProgress(objective, total, fromKeyResults, fromChildren, krs);
    }

    /// <summary>
    /// The period's score: the roll-up (equal weights) of its top-level objectives, those with no
    /// contributing link to another objective in <paramref name="objectives"/>. Cancelled objectives are left out.
    /// </summary>
    /// <param name="objectives">Every objective of the period with its progress.</param>
    /// <returns>The score, or null when no objective counts.</returns>
    public double? PeriodScore(IReadOnlyCollection<ObjectiveProgress> objectives)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        var ids = new HashSet<ObjectiveId>(objectives.Count);
        foreach (var o in objectives)
        {
            ids.Add(o.Objective.Id);
        }

        var items = new List<RollupItem>();
        foreach (var o in objectives)
        {
            if (o.Objective.State != ObjectiveState.Cancelled && !ContributesWithin(o.Objective, ids))
            {
                items.Add(new RollupItem(o.Progress, 1.0));
            }
        }

        return Rollup.Combine(items);
    }

    private static bool ContributesWithin(Objective objective, HashSet<ObjectiveId> ids)
    {
        foreach (var link in objective.AlignmentArray)
        {
            if (link.Kind == AlignmentKind.Contributes && ids.Contains(link.ParentObjectiveId))
            {
                return true;
            }
        }

        return false;
    }

    private double? Combine(IEnumerable<ChildProgress> children) =>
        Rollup.Combine([.. children.Select(c => new RollupItem(c.Progress, c.Link.Weight))]);
}
