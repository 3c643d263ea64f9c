using NodaTime;
using Okr.Core.Alignment;
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

/// <summary>A period at a glance, or the part of it a <see cref="SummaryScope"/> selects.</summary>
/// <param name="Period">The period.</param>
/// <param name="At">The instant the summary describes.</param>
/// <param name="Score">
/// The score of what the summary shows (<see cref="OkrScoring.PeriodScore"/>): the roll-up (equal weights) of the shown
/// objectives that contribute to no other shown objective. For the whole period, its top-level objectives; for a
/// subtree, its root (and any objective under it linked only as support). Under an access policy a scope's score counts
/// only what the actor may read (the whole period's follows <see cref="OkrServiceOptions.HiddenInRollups"/>). Null with no data.
/// </param>
/// <param name="Objectives">The standing of every objective shown, in the order of the alignment tree (parents before children).</param>
/// <param name="Coverage">How many of each owner's shown objectives are aligned to a parent.</param>
public sealed record PeriodSummary(OkrPeriod Period, Instant At, double? Score, IReadOnlyList<ObjectiveStatus> Objectives, IReadOnlyList<AlignmentCoverage> Coverage)
{
    /// <summary>The scope the summary was taken with; <see cref="SummaryScope.WholePeriod"/> by default.</summary>
    public SummaryScope Scope { get; init; } = SummaryScope.WholePeriod;

    /// <summary>
    /// For a page (<see cref="SummaryScope.Limit"/>) with more objectives after it, the id to pass as
    /// <see cref="SummaryScope.After"/> for the next page; null on the last page.
    /// </summary>
    public ObjectiveId? NextAfter { get; init; }

    /// <summary>Key results that are at risk or off track.</summary>
    public IEnumerable<KeyResultStatus> AtRisk => Objectives.SelectMany(o => o.KeyResults).Where(k => k.Health.Status is HealthStatus.AtRisk or HealthStatus.OffTrack);

    /// <summary>Key results with no check-in for too long.</summary>
    public IEnumerable<KeyResultStatus> Stale => Objectives.SelectMany(o => o.KeyResults).Where(k => k.Health.Status == HealthStatus.Stale);
}

/// <summary>
/// Which objectives of a period a summary shows. Filters combine (an objective must pass all set); then the objectives
/// that pass are paged in id order. Whatever the scope, each shown objective's figures are those of the whole period's
/// summary: its progress is rolled up from its whole subtree, which is read for it, and only for it.
/// </summary>
public sealed record SummaryScope
{
    /// <summary>The greatest <see cref="Levels"/> accepted.</summary>
    public const int MaxLevels = 64;

    /// <summary>The whole period (no filter, no paging).</summary>
    public static SummaryScope WholePeriod { get; } = new();

    /// <summary>Only objectives of these owners; every owner when null.</summary>
    public IReadOnlyList<OwnerRef>? Owners { get; init; }

    /// <summary>Only this objective and the objectives aligned under it, directly or not (a department's objective and everything below it).</summary>
    public ObjectiveId? Subtree { get; init; }

    /// <summary>
    /// Only the top levels: 1 is the objectives nothing of the period is aligned above (or <see cref="Subtree"/>'s root),
    /// 2 adds those aligned directly to them, and so on (an objective's level is its shortest path from the top). All when null.
    /// </summary>
    public int? Levels { get; init; }

    /// <summary>Only objectives whose id sorts after this one: pass <see cref="PeriodSummary.NextAfter"/> of the previous page.</summary>
    public ObjectiveId? After { get; init; }

    /// <summary>At most this many objectives (≥ 1), by id; all when null.</summary>
    public int? Limit { get; init; }

    /// <summary>Whether no filter or paging is set.</summary>
    public bool IsWholePeriod => Owners is null && Subtree is null && Levels is null && After is null && Limit is null;

    /// <summary>Checks the scope.</summary>
    /// <exception cref="OkrValidationException">A limit below 1, levels outside 1..<see cref="MaxLevels"/>, or an empty owner list.</exception>
    public void Validate()
    {
        var violations = new ViolationList();
        if (Limit is < 1)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Limit), $"Limit must be at least 1; it is {Limit}.");
        }

        if (Levels is < 1 or > MaxLevels)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Levels), $"Levels must lie between 1 and {MaxLevels}; it is {Levels}.");
        }

        if (Owners is { Count: 0 })
        {
            violations.Add(OkrErrorCodes.Required, nameof(Owners), "Owners is empty: leave it null for every owner, or name at least one.");
        }

        violations.ThrowIfAny();
    }
}

/// <summary>The progress part of <see cref="OkrService"/>: read-only views computed from the store.</summary>
public sealed class OkrProgress
{
    private readonly OkrService _service;

    internal OkrProgress(OkrService service) => _service = service;

    /// <summary>
    /// Summarises a period now, or the part of it a scope selects (an owner's or several owners' objectives, a subtree,
    /// the top levels, a page): the alignment graph rolled up with the configured policies from the current values (one
    /// read for all key results), health of every objective and key result, the score and alignment coverage. Through
    /// <see cref="OkrService.As"/> with an access policy, the statuses list only what the actor may read. Each shown objective's figures equal those of the whole period's summary; the store reads only the shown
    /// objectives, their subtrees and those subtrees' current values, so the cost follows what is shown rather than the
    /// period (a scope with only <see cref="SummaryScope.Levels"/> reads the period). An objective the actor may not
    /// read is neither shown nor counted in the paging.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="scope">What to show; the whole period when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist, or the subtree's root is not an objective of it the actor may read.</exception>
    /// <exception cref="OkrValidationException">The scope is invalid (<see cref="SummaryScope.Validate"/>).</exception>
    public ValueTask<PeriodSummary> SummarizeAsync(TenantId tenant, PeriodId period, SummaryScope? scope = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.progress.summarize", tenant, () => SummarizeTimedAsync(tenant, period, scope, cancellationToken));

    private async ValueTask<PeriodSummary> SummarizeTimedAsync(TenantId tenant, PeriodId period, SummaryScope? scope, CancellationToken cancellationToken)
    {
        scope ??= SummaryScope.WholePeriod;
        scope.Validate();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var summary = await SummarizeCoreAsync(tenant, period, scope, cancellationToken).ConfigureAwait(false);
        _service.Instruments.Summaries.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        System.Diagnostics.Activity.Current?.SetTag("okr.objectives.count", summary.Objectives.Count);
        return summary;
    }

    private async ValueTask<PeriodSummary> SummarizeCoreAsync(TenantId tenant, PeriodId period, SummaryScope scope, CancellationToken cancellationToken)
    {
        var p = await _service.RequirePeriodAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        var options = await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false);
        var now = _service.Clock.GetCurrentInstant();
        var store = _service.Store;

        // 1. What the scope selects (candidates, by id) and everything their figures depend on (their subtrees).
        List<Objective> candidates;
        List<Objective> objectives;
        var paged = scope.Limit is not null || scope.After is not null;
        if (scope.Subtree is { } root)
        {
            objectives = await ToListAsync(store.ListSubtreesAsync(tenant, period, [root], cancellationToken)).ConfigureAwait(false);
            var top = objectives.Find(o => o.Id == root);
            if (top is null || !await _service.CanReadAsync(tenant, top, cancellationToken).ConfigureAwait(false))
            {
                throw OkrService.MissingObjective(root);
            }

            candidates = scope.Owners is { } owners ? [.. objectives.Where(o => owners.Contains(o.Owner))] : objectives;
        }
        else if (scope.Owners is { } owners)
        {
            candidates = [];
            foreach (var owner in owners.Distinct())
            {
                candidates.AddRange(await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period, Owner = owner }, cancellationToken)).ConfigureAwait(false));
            }

            candidates.Sort((a, b) => a.Id.CompareTo(b.Id));
            objectives = scope.Levels is null
                ? await ToListAsync(store.ListSubtreesAsync(tenant, period, [.. candidates.Select(o => o.Id)], cancellationToken)).ConfigureAwait(false)
                : await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }, cancellationToken)).ConfigureAwait(false);
        }
        else if (paged && scope.Levels is null && !_service.Filters)
        {
            // A page of the period: the page from the store, then only its subtrees.
            candidates = await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period, After = scope.After, Limit = scope.Limit + 1 }, cancellationToken)).ConfigureAwait(false);
            objectives = await ToListAsync(store.ListSubtreesAsync(tenant, period, [.. candidates.Take(scope.Limit ?? int.MaxValue).Select(o => o.Id)], cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            objectives = await ToListAsync(store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }, cancellationToken)).ConfigureAwait(false);
            candidates = objectives;
        }

        // 2. Who may read what: an actor sees what they may read, and nothing of the rest (not its status, not its
        // owner in the coverage, not its figures inside a visible parent).
        HashSet<ObjectiveId>? visible = null;
        if (_service.Filters)
        {
            visible = [];
            foreach (var o in objectives)
            {
                if (await _service.CanReadAsync(tenant, o, cancellationToken).ConfigureAwait(false))
                {
                    visible.Add(o.Id);
                }
            }
        }

        var counted = visible is not null && _service.Options.HiddenInRollups == HiddenObjectives.Excluded
            ? objectives.Where(o => visible.Contains(o.Id)).ToList()
            : objectives;
        var graph = AlignmentGraph.Build(counted);

        // 3. The shown objectives: candidates within the levels that the actor may read, then the page.
        IEnumerable<Objective> inScope = candidates;
        if (scope.Levels is { } levels)
        {
            // Levels as the actor sees the tree: an objective under a parent they may not read is at the top for them
            // (counting the hidden parent would tell them it exists).
            var level = Levels(visible is null || counted.Count == visible.Count ? graph : AlignmentGraph.Build(counted.Where(o => visible.Contains(o.Id))), scope.Subtree);
            inScope = inScope.Where(o => level.TryGetValue(o.Id, out var l) && l <= levels);
        }

        var shown = inScope.Where(o => visible is null || visible.Contains(o.Id));

        if (scope.After is { } after)
        {
            shown = shown.Where(o => o.Id > after);
        }

        ObjectiveId? nextAfter = null;
        var shownList = shown.ToList();
        if (scope.Limit is { } limit && shownList.Count > limit)
        {
            shownList = shownList.GetRange(0, limit);
            nextAfter = shownList[^1].Id;
        }

        // 4. One read of the current values of everything the shown figures depend on, one roll-up.
        var krIds = counted.SelectMany(o => o.KeyResults).Select(k => k.Id).ToList();
        var current = await store.GetCurrentValuesAsync(tenant, krIds, now, cancellationToken).ConfigureAwait(false);
        var (rollup, values, states) = Rollup(options.Scoring, graph, current);
        var calculator = rollup.NewCalculator();
        var isShown = new bool[graph.ObjectiveCount];
        foreach (var o in shownList)
        {
            if (graph.Contains(o.Id))
            {
                isShown[graph.NodeOf(o.Id)] = true;
            }
        }

        // Parents first, as the roll-up's order reversed.
        var order = graph.ChildrenFirstNodes;
        var statuses = new List<ObjectiveStatus>(shownList.Count);
        for (var x = order.Length - 1; x >= 0; x--)
        {
            if (isShown[order[x]])
            {
                statuses.Add(Status(options, rollup.DescribeNode(order[x], values, 0, calculator), p, now, states, graph.FirstKeyResult(order[x])));
            }
        }

        // The whole period's score counts hidden objectives where the options count them in roll-ups (the organisation's
        // figure, as before scopes existed). A scope's score is only ever what it shows: a scope can select exactly the
        // hidden objectives (their owner's), and its score would then be their progress.
        var score = visible is not null && _service.Options.HiddenInRollups == HiddenObjectives.Counted && scope.IsWholePeriod
            ? options.Scoring.PeriodScore([.. inScope.Where(o => graph.Contains(o.Id)).Select(o => rollup.DescribeNode(graph.NodeOf(o.Id), values, 0, calculator))])
            : options.Scoring.PeriodScore([.. statuses.Select(s => s.Progress)]);
        // Coverage of what is shown: the graph already built when that is all of it.
        var coverage = (shownList.Count == graph.ObjectiveCount ? graph : AlignmentGraph.Build(shownList)).CoverageByOwner();
        if (visible is not null)
        {
            var hiddenChildren = objectives
                .Where(child => !visible.Contains(child.Id))
                .SelectMany(child => child.Alignments)
                .ToLookup(link => link.ParentObjectiveId, link => link.ParentKeyResultId);
            statuses = [.. statuses.Select(s => hiddenChildren.Contains(s.Progress.Objective.Id) ? Redact(s, hiddenChildren[s.Progress.Objective.Id]) : s)];
        }

        return new PeriodSummary(p, now, score, statuses, coverage) { Scope = scope, NextAfter = nextAfter };
    }

    /// <summary>Each objective's level in the graph: 1 at the top (no parent in the graph, or the given root), then one more per link down, by the shortest path.</summary>
    private static Dictionary<ObjectiveId, int> Levels(AlignmentGraph graph, ObjectiveId? root)
    {
        var level = new Dictionary<ObjectiveId, int>(graph.ObjectiveCount);
        var queue = new Queue<ObjectiveId>();
        foreach (var top in root is { } r && graph.Contains(r) ? [r] : graph.Roots())
        {
            level[top] = 1;
            queue.Enqueue(top);
        }

        while (queue.TryDequeue(out var id))
        {
            foreach (var child in graph.Children(id))
            {
                if (level.TryAdd(child, level[id] + 1))
                {
                    queue.Enqueue(child);
                }
            }
        }

        return level;
    }

    /// <summary>The roll-up from the current values, with those values and states by graph key result index.</summary>
    private static (AlignmentRollup Rollup, decimal?[] Values, KeyResultCurrent?[] States) Rollup(OkrScoring scoring, AlignmentGraph graph, IReadOnlyDictionary<KeyResultId, KeyResultCurrent> current)
    {
        var values = new decimal?[graph.KeyResultCount];
        var states = new KeyResultCurrent?[graph.KeyResultCount];
        var keyResults = graph.KeyResults;
        for (var k = 0; k < values.Length; k++)
        {
            if (current.TryGetValue(keyResults[k].Id, out var c))
            {
                states[k] = c;
                values[k] = c.InForce?.Value;
            }
        }

        return (graph.Rollup(scoring, values), values, states);
    }

    private static async ValueTask<List<Objective>> ToListAsync(IAsyncEnumerable<Objective> source)
    {
        var list = new List<Objective>();
        await foreach (var o in source.ConfigureAwait(false))
        {
            list.Add(o);
        }

        return list;
    }

    /// <summary>
    /// The period's objectives rolled up now from the values in force: what a close grades (every objective, whoever
    /// may read it). The progress is keyed by objective; the graph orders them.
    /// </summary>
    internal async ValueTask<(OkrPeriod Period, AlignmentGraph Graph, Dictionary<ObjectiveId, ObjectiveProgress> Progress)> RollUpAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken)
    {
        var p = await _service.RequirePeriodAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        var now = _service.Clock.GetCurrentInstant();
        var objectives = await ToListAsync(_service.Store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }, cancellationToken)).ConfigureAwait(false);
        var graph = AlignmentGraph.Build(objectives);
        var current = await _service.Store.GetCurrentValuesAsync(tenant, [.. objectives.SelectMany(o => o.KeyResults).Select(k => k.Id)], now, cancellationToken).ConfigureAwait(false);
        var (rollup, values, _) = Rollup((await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false)).Scoring, graph, current);
        var calculator = rollup.NewCalculator();
        var progress = objectives.ToDictionary(o => o.Id, o => rollup.DescribeNode(graph.NodeOf(o.Id), values, 0, calculator));
        return (p, graph, progress);
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

    /// <summary>
    /// One objective now, with a forecast for each key result. Its figures equal the whole period's summary's; the store
    /// reads only the objective's subtree, those key results' current values and its own key results' histories.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="objective">The objective.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Its standing.</returns>
    /// <exception cref="OkrNotFoundException">The objective does not exist (or the actor may not read it).</exception>
    public ValueTask<ObjectiveStatus> GetObjectiveStatusAsync(TenantId tenant, ObjectiveId objective, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.progress.get_objective_status", tenant, () => GetObjectiveStatusCoreAsync(tenant, objective, cancellationToken));

    private async ValueTask<ObjectiveStatus> GetObjectiveStatusCoreAsync(TenantId tenant, ObjectiveId objective, CancellationToken cancellationToken = default)
    {
        var o = await _service.RequireObjectiveAsync(tenant, objective, cancellationToken).ConfigureAwait(false);
        await _service.DemandReadAsync(tenant, o, cancellationToken).ConfigureAwait(false);
        var summary = await SummarizeCoreAsync(tenant, o.PeriodId, new SummaryScope { Subtree = objective, Levels = 1 }, cancellationToken).ConfigureAwait(false);
        var status = summary.Objectives.Single(s => s.Progress.Objective.Id == objective);
        var forecasts = new Dictionary<KeyResultId, Forecast>();
        var options = await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false);
        foreach (var kr in o.KeyResults)
        {
            var history = new List<CheckIn>();
            await foreach (var c in _service.Store.GetHistoryAsync(tenant, kr.Id, cancellationToken).ConfigureAwait(false))
            {
                history.Add(c);
            }

            forecasts[kr.Id] = Forecaster.Project(kr, history, summary.Period, options.TimeZone, options.Scoring.Scoring);
        }

        return status with { KeyResults = [.. status.KeyResults.Select(k => k with { Forecast = forecasts[k.Progress.KeyResult.Id] })] };
    }

    /// <summary>
    /// An objective's status from its progress. A key result is stale by the latest check-in <em>recorded</em> for it,
    /// whichever value is in force (a back-dated check-in recorded today counts as today's); the objective by the
    /// latest of its counted key results.
    /// </summary>
    private static ObjectiveStatus Status(OkrServiceOptions options, ObjectiveProgress progress, OkrPeriod period, Instant now, KeyResultCurrent?[] states, int first)
    {
        var health = options.Health;
        var pace = health as PaceHealthPolicy;
        var zone = options.TimeZone;
        var krs = new KeyResultStatus[progress.KeyResults.Count];
        Instant? lastCheckIn = null;
        Confidence? lowest = null;
        for (var m = 0; m < krs.Length; m++)
        {
            var k = progress.KeyResults[m];
            var state = states[first + m];
            var inForce = state?.InForce;
            var h = pace is not null
                ? pace.Assess(k.Progress, state?.LastRecordedAt, inForce?.Confidence, period, zone, now)
                : health.Assess(new HealthContext(k.Progress, state?.LastRecordedAt, inForce?.Confidence, period, zone, now));
            krs[m] = new KeyResultStatus(k, inForce, h, null);
            if (!k.KeyResult.IsCancelled)
            {
                if (state is not null && (lastCheckIn is null || state.LastRecordedAt > lastCheckIn))
                {
                    lastCheckIn = state.LastRecordedAt;
                }

                if (inForce?.Confidence is { } c && (lowest is null || c.Value < lowest.Value.Value))
                {
                    lowest = c;
                }
            }
        }

        var objectiveHealth = pace is not null
            ? pace.Assess(progress.Progress, lastCheckIn, lowest, period, zone, now)
            : health.Assess(new HealthContext(progress.Progress, lastCheckIn, lowest, period, zone, now));
        return new ObjectiveStatus(progress, objectiveHealth, krs);
    }
}
