using NodaTime;
using Okr.Core.Alignment;
using Okr.Core.Events;
using Okr.Core.Health;
using Okr.Core.Scoring;
using Okr.Core.Storage;

namespace Okr.Core.Service;

/// <summary>A key result's standing: its progress, latest check-in, health and (for a single objective) forecast.</summary>
/// <param name="Progress">Its score and progress.</param>
/// <param name="Latest">The check-in in force now, if any.</param>
/// <param name="Health">Its health now.</param>
/// <param name="Forecast">Where it is heading by the end of the period; only filled by <see cref="OkrProgress.GetObjectiveStatusAsync"/>.</param>
public sealed record KeyResultStatus(KeyResultProgress Progress, CheckIn? Latest, HealthAssessment Health, Forecast? Forecast);

/// <summary>An objective's standing.</summary>
/// <param name="Progress">Its progress and how it was made up.</param>
/// <param name="Health">Its health: its progress against the pace, stale when none of its key results had a check-in for too long, the lowest confidence given.</param>
/// <param name="KeyResults">Each key result's standing.</param>
public sealed record ObjectiveStatus(ObjectiveProgress Progress, HealthAssessment Health, IReadOnlyList<KeyResultStatus> KeyResults);

/// <summary>A period at a glance.</summary>
/// <param name="Period">The period.</param>
/// <param name="At">The instant the summary describes.</param>
/// <param name="Score">The period's score so far (its top-level objectives), or null with no data.</param>
/// <param name="Objectives">Every objective's standing, in the order of the alignment tree (parents before children).</param>
/// <param name="Coverage">How many of each owner's objectives are aligned to a parent.</param>
public sealed record PeriodSummary(OkrPeriod Period, Instant At, double? Score, IReadOnlyList<ObjectiveStatus> Objectives, IReadOnlyList<AlignmentCoverage> Coverage)
{
    /// <summary>Key results that are at risk or off track.</summary>
    public IEnumerable<KeyResultStatus> AtRisk => Objectives.SelectMany(o => o.KeyResults).Where(k => k.Health.Status is HealthStatus.AtRisk or HealthStatus.OffTrack);

    /// <summary>Key results with no check-in for too long.</summary>
    public IEnumerable<KeyResultStatus> Stale => Objectives.SelectMany(o => o.KeyResults).Where(k => k.Health.Status == HealthStatus.Stale);
}

/// <summary>The progress part of <see cref="OkrService"/>: read-only views computed from the store.</summary>
public sealed class OkrProgress
{
    private readonly OkrService _service;

    internal OkrProgress(OkrService service) => _service = service;

    /// <summary>
    /// Summarises a period now: the alignment graph of its objectives rolled up with the configured
    /// policies from the values in force (one read for all key results), health of every objective
    /// and key result, the period score and alignment coverage. Through <see cref="OkrService.As"/> with an
    /// access policy, the statuses list only what the actor may read; the score and coverage are the period's.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist.</exception>
    public async ValueTask<PeriodSummary> SummarizeAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default)
    {
        using var activity = OkrTelemetry.Source.StartActivity("okr.period.summarize");
        activity?.SetTag("okr.tenant", tenant.ToString());
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (p, now, objectives, latest, graph, progress) = await RollUpAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AlignmentCoverage> coverage;
        HashSet<ObjectiveId>? visible = null;
        if (_service.Filters)
        {
            // An actor sees what they may read, and nothing of the rest: not its statuses, not its owners in the
            // coverage, not its figures inside a visible parent.
            visible = [];
            foreach (var o in objectives)
            {
                if (await _service.CanReadAsync(tenant, o, cancellationToken).ConfigureAwait(false))
                {
                    visible.Add(o.Id);
                }
            }

            var shown = objectives.Where(o => visible.Contains(o.Id)).ToList();
            var shownGraph = AlignmentGraph.Build(shown);
            coverage = shownGraph.CoverageByOwner();
            if (_service.Options.HiddenInRollups == HiddenObjectives.Excluded)
            {
                graph = shownGraph;
                progress = Evaluate(shown, graph, latest);
            }
        }
        else
        {
            coverage = graph.CoverageByOwner();
        }

        // Parents before children: the reverse of the order the progress was computed in.
        var statuses = graph.ChildrenFirst().Reverse()
            .Select(o => Status(progress[o.Id], p, now, latest, forecasts: null))
            .ToList();
        var score = _service.Options.Scoring.PeriodScore([.. statuses.Select(s => s.Progress)]);
        if (visible is not null)
        {
            var hiddenChildren = objectives
                .Where(child => !visible.Contains(child.Id))
                .SelectMany(child => child.Alignments)
                .ToLookup(link => link.ParentObjectiveId, link => link.ParentKeyResultId);
            statuses = [.. statuses.Where(s => visible.Contains(s.Progress.Objective.Id)).Select(s => hiddenChildren.Contains(s.Progress.Objective.Id) ? Redact(s, hiddenChildren[s.Progress.Objective.Id]) : s)];
        }

        var summary = new PeriodSummary(p, now, score, statuses, coverage);
        OkrTelemetry.Rollups.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        activity?.SetTag("okr.objectives.count", objectives.Count);
        return summary;
    }

    /// <summary>
    /// The period's objectives rolled up now from the values in force: what a summary shows and what a close grades.
    /// The progress is keyed by objective; the graph orders them.
    /// </summary>
    internal async ValueTask<(OkrPeriod Period, Instant Now, List<Objective> Objectives, IReadOnlyDictionary<KeyResultId, CheckIn> Latest, AlignmentGraph Graph, Dictionary<ObjectiveId, ObjectiveProgress> Progress)> RollUpAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken)
    {
        var p = await _service.RequirePeriodAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        var now = _service.Clock.GetCurrentInstant();
        var objectives = new List<Objective>();
        await foreach (var o in _service.Store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }, cancellationToken).ConfigureAwait(false))
        {
            objectives.Add(o);
        }

        var krIds = objectives.SelectMany(o => o.KeyResults).Select(k => k.Id).ToList();
        var latest = await _service.Store.GetValuesAsOfAsync(tenant, krIds, now, null, cancellationToken).ConfigureAwait(false);
        var graph = AlignmentGraph.Build(objectives);
        return (p, now, objectives, latest, graph, Evaluate(objectives, graph, latest));
    }

    /// <summary>Every objective's progress, children first, so each sees its children's: one pass, the same result as <see cref="AlignmentGraph"/>'s roll-up.</summary>
    private Dictionary<ObjectiveId, ObjectiveProgress> Evaluate(List<Objective> objectives, AlignmentGraph graph, IReadOnlyDictionary<KeyResultId, CheckIn> latest)
    {
        var childrenOf = objectives
            .SelectMany(child => child.Alignments.Select(link => (child, link)))
            .Where(x => graph.Contains(x.link.ParentObjectiveId))
            .ToLookup(x => x.link.ParentObjectiveId);
        var progress = new Dictionary<ObjectiveId, ObjectiveProgress>(objectives.Count);
        foreach (var o in graph.ChildrenFirst())
        {
            var children = childrenOf[o.Id].Select(x => new ChildProgress(x.child, x.link, progress[x.child.Id].Progress));
            progress[o.Id] = _service.Options.Scoring.Evaluate(o, k => latest.TryGetValue(k, out var c) ? c.Value : null, children);
        }

        return progress;
    }

    /// <summary>
    /// A visible objective's status with the figures a hidden child feeds taken out: its progress from aligned
    /// objectives, and the progress of a key result fed by aligned objectives (its overall progress stays).
    /// </summary>
    private static ObjectiveStatus Redact(ObjectiveStatus status, IEnumerable<KeyResultId?> hiddenLinks)
    {
        var fed = hiddenLinks.ToList();
        var keyResults = status.KeyResults
            .Select(k => k.Progress.KeyResult.ProgressSource == ProgressSource.FromAlignedObjectives && fed.Any(link => link is null || link == k.Progress.KeyResult.Id)
                ? k with { Progress = k.Progress with { Progress = null } }
                : k)
            .ToList();
        return status with
        {
            Progress = status.Progress with { FromAlignedObjectives = null, KeyResults = [.. keyResults.Select(k => k.Progress)] },
            KeyResults = keyResults,
        };
    }

    /// <summary>One objective now, with a forecast for each key result.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="objective">The objective.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Its standing.</returns>
    /// <exception cref="OkrNotFoundException">The objective does not exist.</exception>
    public async ValueTask<ObjectiveStatus> GetObjectiveStatusAsync(TenantId tenant, ObjectiveId objective, CancellationToken cancellationToken = default)
    {
        var o = await _service.RequireObjectiveAsync(tenant, objective, cancellationToken).ConfigureAwait(false);
        await _service.DemandReadAsync(tenant, o, cancellationToken).ConfigureAwait(false);
        var summary = await SummarizeAsync(tenant, o.PeriodId, cancellationToken).ConfigureAwait(false);
        var status = summary.Objectives.Single(s => s.Progress.Objective.Id == objective);
        var forecasts = new Dictionary<KeyResultId, Forecast>();
        foreach (var kr in o.KeyResults)
        {
            var history = new List<CheckIn>();
            await foreach (var c in _service.Store.GetHistoryAsync(tenant, kr.Id, cancellationToken).ConfigureAwait(false))
            {
                history.Add(c);
            }

            forecasts[kr.Id] = Forecaster.Project(kr, history, summary.Period, _service.Options.TimeZone, _service.Options.Scoring.Scoring);
        }

        return status with { KeyResults = [.. status.KeyResults.Select(k => k with { Forecast = forecasts[k.Progress.KeyResult.Id] })] };
    }

    private ObjectiveStatus Status(ObjectiveProgress progress, OkrPeriod period, Instant now, IReadOnlyDictionary<KeyResultId, CheckIn> latest, IReadOnlyDictionary<KeyResultId, Forecast>? forecasts)
    {
        var health = _service.Options.Health;
        var zone = _service.Options.TimeZone;
        var krs = progress.KeyResults.Select(k =>
        {
            var last = latest.GetValueOrDefault(k.KeyResult.Id);
            var h = health.Assess(new HealthContext(k.Progress, last?.RecordedAt, last?.Confidence, period, zone, now));
            return new KeyResultStatus(k, last, h, forecasts?.GetValueOrDefault(k.KeyResult.Id));
        }).ToList();
        var counted = krs.Where(k => !k.Progress.KeyResult.IsCancelled).ToList();
        var lastCheckIn = counted.Select(k => k.Latest?.RecordedAt).Where(i => i is not null).DefaultIfEmpty(null).Max();
        var lowest = counted.Select(k => k.Latest?.Confidence).Where(c => c is not null).DefaultIfEmpty(null).Min();
        var objectiveHealth = health.Assess(new HealthContext(progress.Progress, lastCheckIn, lowest, period, zone, now));
        return new ObjectiveStatus(progress, objectiveHealth, krs);
    }
}
