using NodaTime;
using Okr.Core.Alignment;
using Okr.Core.Health;
using Okr.Core.Scoring;
using Okr.Core.Storage;

namespace Okr.Core.Service;

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

        // Objectives of the periods this one holds (a year's quarters) aligned under its objectives count in their
        // figures, as children do; only this period's objectives are shown.
        var nested = await NestedChildrenAsync(tenant, p, objectives, null, cancellationToken).ConfigureAwait(false);
        if (nested.Count > 0)
        {
            objectives = [.. objectives, .. nested];
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

        // Cadences, for staleness: a scope's objectives may inherit one from objectives above them, read a level at a time.
        var cadences = await CadencesAsync(tenant, p, options, objectives, scope.IsWholePeriod, cancellationToken).ConfigureAwait(false);

        // 4. One read of the current values of everything the shown figures depend on, one roll-up.
        var current = await store.GetCurrentValuesAsync(tenant, KeyResultIds(graph), now, cancellationToken).ConfigureAwait(false);
        var (rollup, values, states) = Rollup(options.Scoring, graph, current);
        var calculator = rollup.NewCalculator();
        var frame = options.Health is PaceHealthPolicy pace ? pace.FrameOf(p, options.TimeZone, now) : default;
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
                statuses.Add(Status(options, frame, rollup.DescribeNode(order[x], values, 0, calculator), p, now, states, graph.FirstKeyResult(order[x]), cadences));
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
                .SelectMany(child => child.AlignmentArray)
                .ToLookup(link => link.ParentObjectiveId, link => link.ParentKeyResultId);
            statuses = [.. statuses.Select(s => hiddenChildren.Contains(s.Progress.Objective.Id) ? Redact(s, hiddenChildren[s.Progress.Objective.Id]) : s)];
        }

        return new PeriodSummary(p, now, score, statuses, coverage) { Scope = scope, NextAfter = nextAfter };
    }

    /// <summary>The periods <paramref name="period"/> holds (<see cref="OkrPeriod.Holds"/>): a year's quarters and months.</summary>
    internal async ValueTask<List<OkrPeriod>> HeldPeriodsAsync(TenantId tenant, OkrPeriod period, CancellationToken cancellationToken)
    {
        var held = new List<OkrPeriod>();
        await foreach (var other in _service.Store.ListPeriodsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (period.Holds(other))
            {
                held.Add(other);
            }
        }

        return held;
    }

    /// <summary>
    /// The objectives of the periods <paramref name="period"/> holds that are aligned, directly or through others, under
    /// one of <paramref name="objectives"/>. Nothing for a period that holds none (a quarter, as a rule), at the cost of
    /// one read of the tenant's periods; otherwise one read of what is aligned under them (<see cref="IOkrStore.ListAlignedUnderAsync"/>).
    /// </summary>
    private async ValueTask<List<Objective>> NestedChildrenAsync(TenantId tenant, OkrPeriod period, List<Objective> objectives, IReadOnlyList<OkrPeriod>? held, CancellationToken cancellationToken)
    {
        held ??= await HeldPeriodsAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        if (held.Count == 0 || objectives.Count == 0)
        {
            return [];
        }

        return await ToListAsync(_service.Store.ListAlignedUnderAsync(tenant, [.. held.Select(h => h.Id)], [.. objectives.Select(o => o.Id)], cancellationToken)).ConfigureAwait(false);
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

    private static bool HasCadence(Objective objective)
    {
        if (objective.Cadence is not null)
        {
            return true;
        }

        foreach (var kr in objective.KeyResultArray)
        {
            if (kr.Cadence is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The ids of a graph's key results, in its order.</summary>
    private static KeyResultId[] KeyResultIds(AlignmentGraph graph)
    {
        var ids = new KeyResultId[graph.KeyResultCount];
        for (var k = 0; k < ids.Length; k++)
        {
            ids[k] = graph.KeyResults[k].Id;
        }

        return ids;
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
    internal async ValueTask<(OkrPeriod Period, AlignmentGraph Graph, Dictionary<ObjectiveId, ObjectiveProgress> Progress)> RollUpAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken, IReadOnlyList<OkrPeriod>? held = null)
    {
        var p = await _service.RequirePeriodAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        var now = _service.Clock.GetCurrentInstant();
        var objectives = await ToListAsync(_service.Store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }, cancellationToken)).ConfigureAwait(false);
        objectives.AddRange(await NestedChildrenAsync(tenant, p, objectives, held, cancellationToken).ConfigureAwait(false));
        var graph = AlignmentGraph.Build(objectives);
        var current = await _service.Store.GetCurrentValuesAsync(tenant, KeyResultIds(graph), now, cancellationToken).ConfigureAwait(false);
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
                ? new KeyResultStatus(new KeyResultProgress(k.Progress.KeyResult, k.Progress.Score, null), k.Latest, k.Health, k.Forecast)
                : k)
            .ToList();
        var p = status.Progress;
        return new ObjectiveStatus(new ObjectiveProgress(p.Objective, p.Progress, p.FromKeyResults, null, [.. keyResults.Select(k => k.Progress)]), status.Health, keyResults);
    }

    /// <summary>
    /// Who of the host's owners (its org chart) takes part in a period, now: which own no objective, which owe check-ins
    /// but recorded none lately, and each one's check-in rate against a cadence. Two reads of the period (its objectives,
    /// and when each of their check-ins was recorded: <see cref="IOkrStore.ListRecordedAsync"/>), whatever the number of owners.
    /// </summary>
    /// <remarks>
    /// A key result belongs to its own owner, or to its objective's owner when it has none. An owner owes check-ins on
    /// the measured, live key results of active objectives. The rate counts the cadence windows (from the start of the
    /// period's first day, in the organisation's or tenant's time zone) that ended by now and in which a check-in
    /// (or a correction) was recorded on the owner's key results. Objectives the acting person may not read are left
    /// out, as if they did not exist.
    /// </remarks>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="owners">The owners to ask about; repeats are reported once.</param>
    /// <param name="options">Silence and cadence; <see cref="ParticipationOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per owner, in the order given.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist.</exception>
    /// <exception cref="OkrValidationException">An option is out of range, or an owner is the default reference.</exception>
    public ValueTask<PeriodParticipation> ParticipationAsync(TenantId tenant, PeriodId period, IEnumerable<OwnerRef> owners, ParticipationOptions? options = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.progress.participation", tenant, () => ParticipationCoreAsync(tenant, period, owners, options ?? ParticipationOptions.Default, cancellationToken));

    private async ValueTask<PeriodParticipation> ParticipationCoreAsync(TenantId tenant, PeriodId periodId, IEnumerable<OwnerRef> owners, ParticipationOptions options, CancellationToken cancellationToken)
    {
        OkrService.CheckTenant(tenant);
        ArgumentNullException.ThrowIfNull(owners);
        options.Validate();
        var asked = owners.Distinct().ToList();
        if (asked.FindIndex(o => o.IsEmpty) is var empty and >= 0)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.Required, $"owners[{empty}]", "An owner is the default (empty) reference.")]);
        }

        var period = await _service.RequirePeriodAsync(tenant, periodId, cancellationToken).ConfigureAwait(false);
        var now = _service.Clock.GetCurrentInstant();
        var zone = (await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false)).TimeZone;
        var (start, end) = period.InstantsIn(zone);
        var windows = (int)Math.Max(0, ((now < end ? now : end) - start).TotalTicks / options.Cadence.TotalTicks);

        // Slot per owner asked; every key result of the period points at its owner's slot, or at none.
        var slot = new Dictionary<OwnerRef, int>(asked.Count);
        for (var i = 0; i < asked.Count; i++)
        {
            slot[asked[i]] = i;
        }

        var objectives = new int[asked.Count];
        var owed = new int[asked.Count];
        var last = new Instant?[asked.Count];
        var seen = new HashSet<(int Owner, int Window)>();
        var ownerOf = new Dictionary<KeyResultId, int>();
        await foreach (var objective in _service.Store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = periodId }, cancellationToken).ConfigureAwait(false))
        {
            if (objective.State == ObjectiveState.Cancelled || (_service.Filters && !await _service.CanReadAsync(tenant, objective, cancellationToken).ConfigureAwait(false)))
            {
                continue;
            }

            if (slot.TryGetValue(objective.Owner, out var owns))
            {
                objectives[owns]++;
            }

            foreach (var kr in objective.KeyResultArray)
            {
                if (slot.TryGetValue(kr.Owner ?? objective.Owner, out var holder))
                {
                    ownerOf[kr.Id] = holder;
                    if (objective.State == ObjectiveState.Active && !kr.IsCancelled && kr.ProgressSource == ProgressSource.Measured)
                    {
                        owed[holder]++;
                    }
                }
            }
        }

        await foreach (var (keyResult, recordedAt) in _service.Store.ListRecordedAsync(tenant, periodId, cancellationToken).ConfigureAwait(false))
        {
            if (recordedAt > now || !ownerOf.TryGetValue(keyResult, out var holder))
            {
                continue;
            }

            if (last[holder] is not { } known || recordedAt > known)
            {
                last[holder] = recordedAt;
            }

            var window = Math.Floor((recordedAt - start).TotalTicks / options.Cadence.TotalTicks);
            if (recordedAt >= start && window < windows)
            {
                seen.Add((holder, (int)window));
            }
        }

        var withCheckIns = new int[asked.Count];
        foreach (var (holder, _) in seen)
        {
            withCheckIns[holder]++;
        }

        var result = new OwnerParticipation[asked.Count];
        for (var i = 0; i < asked.Count; i++)
        {
            var silent = owed[i] > 0 && (last[i] is not { } at || now - at >= options.SilentAfter);
            result[i] = new OwnerParticipation(asked[i], objectives[i], owed[i], last[i], silent, owed[i] == 0 ? 0 : windows, owed[i] == 0 ? 0 : withCheckIns[i]);
        }

        return new PeriodParticipation(period, now, result);
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

            forecasts[kr.Id] = Forecaster.Project(kr, history, summary.Period, options.TimeZone, options.Scoring.Policy);
        }

        return new ObjectiveStatus(status.Progress, status.Health, [.. status.KeyResults.Select(k => new KeyResultStatus(k.Progress, k.Latest, k.Health, forecasts[k.Progress.KeyResult.Id]))]);
    }

    /// <summary>
    /// The cadences key results follow, when any is set anywhere (the tenant, an owner, an objective or key result read,
    /// or an objective above a scope's, read a level at a time); null when none is, so health keeps one number of days.
    /// </summary>
    private async ValueTask<CadenceResolver?> CadencesAsync(TenantId tenant, OkrPeriod period, OkrServiceOptions options, List<Objective> objectives, bool wholePeriod, CancellationToken cancellationToken)
    {
        var configured = options.Cadence is not null || options.OwnerCadences is { Count: > 0 };
        if (wholePeriod && !configured && !objectives.Exists(o => o.PeriodId == period.Id && HasCadence(o)))
        {
            return null;   // nothing above the period's objectives to read, and nothing in them follows a cadence
        }

        var known = new Dictionary<ObjectiveId, Objective>(objectives.Count);
        foreach (var o in objectives.Where(o => o.PeriodId == period.Id))
        {
            known[o.Id] = o;
        }

        if (!wholePeriod)
        {
            await CadenceResolver.AddAncestorsAsync(_service.Store, tenant, period.Id, known, cancellationToken).ConfigureAwait(false);
        }

        // A whole period got here only because something in it or the options has a cadence.
        return configured || wholePeriod || known.Values.Any(HasCadence) ? new CadenceResolver(known, options) : null;
    }

    /// <summary>
    /// An objective's status from its progress. A key result is stale by the latest check-in <em>recorded</em> for it,
    /// whichever value is in force (a back-dated check-in recorded today counts as today's); the objective by the
    /// latest of its counted key results.
    /// </summary>
    private static ObjectiveStatus Status(OkrServiceOptions options, in PaceHealthPolicy.Frame frame, ObjectiveProgress progress, OkrPeriod period, Instant now, KeyResultCurrent?[] states, int first, CadenceResolver? cadences)
    {
        var health = options.Health;
        var pace = health as PaceHealthPolicy;
        var zone = options.TimeZone;
        var krs = new KeyResultStatus[progress.KeyResults.Count];
        Instant? lastCheckIn = null;
        Confidence? lowest = null;
        LocalDate? today = null;   // the organisation's day, worked out once when a cadence needs it
        for (var m = 0; m < krs.Length; m++)
        {
            var k = progress.KeyResults[m];
            var state = states[first + m];
            var inForce = state?.InForce;
            // Overdue as DueCheckIn.IsOverdue says, without the reminder's id and object a status does not show.
            bool? overdue = cadences?.For(progress.Objective, k.KeyResult) is { } cadence
                ? OkrCheckIns.Owed(cadence.Cadence, period.Dates, today ??= now.InZone(zone).Date, zone, state?.LastRecordedAt) is { } owed
                  && now > OkrCheckIns.OverdueAt(cadence.Cadence, owed.Since, zone)
                : null;
            var h = pace is not null
                ? pace.Assess(frame, k.Progress, state?.LastRecordedAt, inForce?.Confidence, checkInOverdue: overdue)
                : health.Assess(new HealthContext(k.Progress, state?.LastRecordedAt, inForce?.Confidence, period, zone, now) { CheckInOverdue = overdue });
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
            ? pace.Assess(frame, progress.Progress, lastCheckIn, lowest)
            : health.Assess(new HealthContext(progress.Progress, lastCheckIn, lowest, period, zone, now));
        return new ObjectiveStatus(progress, objectiveHealth, krs);
    }
}
