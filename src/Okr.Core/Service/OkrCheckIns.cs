using NodaTime;
using Okr.Core.Rules;
using Okr.Core.Storage;

namespace Okr.Core.Service;

/// <summary>The check-in part of <see cref="OkrService"/>.</summary>
public sealed class OkrCheckIns
{
    private readonly OkrService _service;

    internal OkrCheckIns(OkrService service) => _service = service;

    /// <summary>
    /// Records a value of a key result, now (or as of <paramref name="effectiveAt"/>). Pass your own
    /// <paramref name="id"/> to make retries safe: a retry with the same id and the same key result, value, author,
    /// confidence, note (and effective instant, when given) returns the stored check-in and writes nothing, however
    /// much later it comes; the same id with a different payload fails with <c>okr.id.duplicate</c>.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResult">The key result.</param>
    /// <param name="value">The value.</param>
    /// <param name="author">Who records it. Under <see cref="OkrService.As"/> this is the actor, unless the access policy lets the actor record for the author (<see cref="Access.IOkrAccessPolicy.CanRecordForAsync"/>).</param>
    /// <param name="effectiveAt">When the value was true; now when null.</param>
    /// <param name="confidence">The author's confidence, if given.</param>
    /// <param name="note">A note.</param>
    /// <param name="id">The check-in's id; a new one when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The check-in (for a retry, the one stored first).</returns>
    /// <exception cref="OkrNotFoundException">No objective holds the key result.</exception>
    /// <exception cref="OkrValidationException">A rule fails (closed period, inactive objective, value the measure cannot take, ...); nothing was written.</exception>
    /// <exception cref="OkrConcurrencyException">The objective or its period changed between the check and the write (closed, edited); nothing was written.</exception>
    /// <exception cref="OkrAccessDeniedException">The actor may not write the objective, or may not record for <paramref name="author"/>.</exception>
    public ValueTask<CheckIn> RecordAsync(
        TenantId tenant,
        KeyResultId keyResult,
        decimal value,
        OwnerRef author,
        Instant? effectiveAt = null,
        Confidence? confidence = null,
        string note = "",
        CheckInId? id = null,
        CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.check_ins.record", tenant, () => RecordCoreAsync(tenant, keyResult, value, author, effectiveAt, confidence, note, id, cancellationToken));

    private async ValueTask<CheckIn> RecordCoreAsync(
        TenantId tenant,
        KeyResultId keyResult,
        decimal value,
        OwnerRef author,
        Instant? effectiveAt = null,
        Confidence? confidence = null,
        string note = "",
        CheckInId? id = null,
        CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        var checkIn = CheckIn.Record(id ?? CheckInId.New(_service.Clock), keyResult, value, author, _service.Clock, effectiveAt, confidence, note);
        if (id is { } given && await _service.Store.GetCheckInAsync(tenant, given, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            // The target first: a key result the actor may not see is missing, whatever the id.
            var holder = await _service.Store.FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false);
            if (_service.Filters && (holder is null || !await _service.CanReadAsync(tenant, holder, cancellationToken).ConfigureAwait(false)))
            {
                throw new OkrNotFoundException($"No objective holds key result {keyResult}.");
            }

            // A retry: the stored check-in when the payload is the same (a retry without effectiveAt takes the stored one).
            var retried = effectiveAt is null
                ? new CheckIn(checkIn.Id, checkIn.KeyResultId, checkIn.Value, checkIn.Author, stored.EffectiveAt, stored.RecordedAt, checkIn.Confidence, checkIn.Note, checkIn.Corrects)
                : checkIn;
            if (StoreRules.SamePayload(stored, retried))
            {
                if (holder is not null)
                {
                    await _service.DemandWriteAsync(tenant, holder, holder, cancellationToken, readChecked: _service.Filters).ConfigureAwait(false);
                }

                await DemandAuthorAsync(tenant, author, cancellationToken).ConfigureAwait(false);
                return stored;
            }

            var owner = stored.KeyResultId == keyResult ? holder : await _service.Store.FindObjectiveByKeyResultAsync(tenant, stored.KeyResultId, cancellationToken).ConfigureAwait(false);
            if (_service.Filters && (owner is null || !await _service.CanReadAsync(tenant, owner, cancellationToken).ConfigureAwait(false)))
            {
                // Someone else's check-in the actor may not read holds the id: say only that the id is taken.
                throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(CheckIn.Id), $"Check-in id {given} is already in use; use a new id.")]);
            }

            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.DuplicateId, nameof(CheckIn.Id), $"Check-in {given} already exists with a different payload; check-ins are append-only. Use a new id, or CorrectAsync.")]);
        }

        await RecordManyAsync(tenant, [checkIn], cancellationToken).ConfigureAwait(false);
        return checkIn;
    }

    /// <summary>
    /// Corrects a check-in: a new check-in that replaces it in every view from now on, while the
    /// original stays in the history.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="original">The check-in to correct.</param>
    /// <param name="value">The corrected value.</param>
    /// <param name="author">Who corrects it.</param>
    /// <param name="note">Why.</param>
    /// <param name="id">The correction's id; a new one when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The correction.</returns>
    /// <exception cref="OkrNotFoundException">The original does not exist.</exception>
    public ValueTask<CheckIn> CorrectAsync(TenantId tenant, CheckInId original, decimal value, OwnerRef author, string note = "", CheckInId? id = null, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.check_ins.correct", tenant, () => CorrectCoreAsync(tenant, original, value, author, note, id, cancellationToken));

    private async ValueTask<CheckIn> CorrectCoreAsync(TenantId tenant, CheckInId original, decimal value, OwnerRef author, string note = "", CheckInId? id = null, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        var stored = await _service.Store.GetCheckInAsync(tenant, original, cancellationToken).ConfigureAwait(false);
        if (stored is not null && _service.Filters
            && (await _service.Store.FindObjectiveByKeyResultAsync(tenant, stored.KeyResultId, cancellationToken).ConfigureAwait(false) is not { } holder
                || !await _service.CanReadAsync(tenant, holder, cancellationToken).ConfigureAwait(false)))
        {
            stored = null;   // a check-in of an objective the actor may not read is missing to them
        }

        if (stored is null)
        {
            throw new OkrNotFoundException($"Check-in {original} does not exist.");
        }
        var correction = stored.Correct(id ?? CheckInId.New(_service.Clock), value, author, _service.Clock, note);
        await RecordManyAsync(tenant, [correction], cancellationToken).ConfigureAwait(false);
        return correction;
    }

    /// <summary>Appends several check-ins (and corrections) atomically after checking each against the rules.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="checkIns">The check-ins.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were new (retried ones are skipped).</returns>
    /// <exception cref="OkrValidationException">Any check-in breaks a rule or was recorded after the service clock's now (all violations listed, members prefixed with the index); nothing was written.</exception>
    /// <exception cref="OkrNotFoundException">A key result or corrected check-in does not exist; nothing was written.</exception>
    /// <exception cref="OkrConcurrencyException">An objective or period of the batch changed between the check and the write (closed, edited); nothing was written.</exception>
    /// <exception cref="OkrAccessDeniedException">The actor may not write an objective of the batch, or names another author without the policy's leave.</exception>
    /// <remarks>
    /// The batch commits only while every objective it touches is at the version checked (so still active, with the
    /// same key results and measures) and every period is at the version checked (so still open): a check-in checked
    /// before a concurrent close never lands after the grades.
    /// </remarks>
    public ValueTask<int> RecordManyAsync(TenantId tenant, IReadOnlyList<CheckIn> checkIns, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.check_ins.record_many", tenant, () => RecordManyCoreAsync(tenant, checkIns, null, cancellationToken));

    private async ValueTask<int> RecordManyCoreAsync(TenantId tenant, IReadOnlyList<CheckIn> checkIns, Action<OkrChangeSet>? expect = null, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        ArgumentNullException.ThrowIfNull(checkIns);
        System.Diagnostics.Activity.Current?.SetTag("okr.check_ins.count", checkIns.Count);
        // The objectives of every key result in the batch, in one store call; each is checked for access once.
        var objectives = await _service.Store.FindObjectivesByKeyResultsAsync(tenant, [.. checkIns.Where(c => c is not null).Select(c => c.KeyResultId).Distinct()], cancellationToken).ConfigureAwait(false);
        var allowed = new HashSet<ObjectiveId>();
        var writable = new HashSet<ObjectiveId>();
        var authors = new HashSet<OwnerRef>();
        var periods = new Dictionary<PeriodId, OkrPeriod>();
        var inBatch = checkIns.Where(c => c is not null).GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());
        var corrections = new Dictionary<CheckInId, CheckIn>();
        var violations = new ViolationList();
        var options = await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false);
        var rules = options.Rules;
        var zone = options.TimeZone;
        var checkedAt = _service.Clock.GetCurrentInstant();
        for (var i = 0; i < checkIns.Count; i++)
        {
            var c = checkIns[i] ?? throw new ArgumentException("Check-ins must not be null.", nameof(checkIns));
            if (c.RecordedAt > checkedAt)
            {
                // A value recorded "later" would stay invisible to as-of reads until then: a skewed client clock, not a plan.
                violations.Add(OkrErrorCodes.OutOfRange, $"[{i}].{nameof(CheckIn.RecordedAt)}", $"RecordedAt ({c.RecordedAt}) lies after the current time ({checkedAt}): a check-in cannot be recorded in the future. Build check-ins with the service's clock.");
            }

            var objective = objectives.GetValueOrDefault(c.KeyResultId);
            if (objective is null || (allowed.Add(objective.Id) && !await _service.CanReadAsync(tenant, objective, cancellationToken).ConfigureAwait(false)))
            {
                // A key result of an objective the actor may not read is missing to them, in the same words.
                throw new OkrNotFoundException($"No objective holds key result {c.KeyResultId}.");
            }

            if (writable.Add(objective.Id))
            {
                await _service.DemandWriteAsync(tenant, objective, objective, cancellationToken, readChecked: true).ConfigureAwait(false);
            }

            if (authors.Add(c.Author))
            {
                await DemandAuthorAsync(tenant, c.Author, cancellationToken).ConfigureAwait(false);
            }

            if (!periods.TryGetValue(objective.PeriodId, out var period))
            {
                periods[objective.PeriodId] = period = await _service.RequirePeriodAsync(tenant, objective.PeriodId, cancellationToken).ConfigureAwait(false);
            }

            CheckIn? corrected = null;
            if (c.Corrects is { } target)
            {
                corrected = inBatch.GetValueOrDefault(target) ?? await _service.Store.GetCheckInAsync(tenant, target, cancellationToken).ConfigureAwait(false);
                if (corrected is not null)
                {
                    corrections[target] = corrected;
                }
            }

            violations.AddRange(rules.Check(new CheckInChange(c, objective, period, corrected, zone)), $"[{i}]");
        }

        violations.ThrowIfAny();

        // The values in force before the write, in one read: with the batch itself they give the values after it, so
        // health changes are computed once, here, and committed with the check-ins as events.
        var affected = checkIns.Select(c => c.KeyResultId).Distinct().ToList();
        var before = await _service.Store.GetValuesAsOfAsync(tenant, affected, OkrStoreFormat.MaxInstant, null, cancellationToken).ConfigureAwait(false);

        // Conditional on what the rules were checked against: each objective and period at the version read.
        var changes = new OkrChangeSet().Append(checkIns);
        expect?.Invoke(changes);
        foreach (var objective in objectives.Values.DistinctBy(o => o.Id))
        {
            changes.Expect(objective);
        }

        foreach (var period in periods.Values)
        {
            changes.Expect(period);
        }

        var events = OkrEventFactory.For(_service, tenant);
        var now = events.Now;
        foreach (var c in checkIns.DistinctBy(c => c.Id))
        {
            // Raised only if the check-in is new: a retry of one already stored raises nothing.
            changes.Raise(events.CheckIn(c, objectives[c.KeyResultId]), c.Id);
        }

        foreach (var (kr, batch) in checkIns.GroupBy(c => c.KeyResultId).Select(g => (g.Key, g.ToList())))
        {
            var objective = objectives[kr];
            var keyResult = objective.FindKeyResult(kr)!;
            var period = periods[objective.PeriodId];

            // The health the previous check-in reported (as of when it was recorded), against the health after the
            // batch: a key result that slipped while nobody checked in is reported by the check-in that shows it.
            var previous = before.GetValueOrDefault(kr);
            var after = ValueAfter(previous, batch, inBatch, corrections);
            var was = Health(options, keyResult, previous, period, previous?.RecordedAt ?? now);
            var current = Health(options, keyResult, after, period, now);
            if (was.Status != current.Status)
            {
                // Raised if any of the key result's check-ins in the batch is new (a whole retried batch raises nothing).
                changes.Raise(events.HealthChanged(batch, objective, kr, was, current), [.. batch.Select(c => c.Id).Distinct()]);
            }
        }

        var added = (await _service.CommitAsync(tenant, changes, cancellationToken).ConfigureAwait(false)).CheckInsAdded;

        // Committed: from here on nothing may throw or wait on the token.
        _service.Instruments.CheckIns.Add(added);
        return added;
    }

    /// <summary>The whole history of a key result, corrections and corrected check-ins included.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResult">The key result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The check-ins, by effective instant.</returns>
    public ValueTask<IReadOnlyList<CheckIn>> HistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.check_ins.history", tenant, () => HistoryCoreAsync(tenant, keyResult, cancellationToken));

    private async ValueTask<IReadOnlyList<CheckIn>> HistoryCoreAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        if (_service.Filters)
        {
            // For an acting person, the objective that holds the key result decides, or, for a key result since
            // removed, the objective that last held it; one they may not read leaves the history empty, as for a key
            // result that never existed.
            if (await _service.Store.FindLastHolderAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false) is not { } objective
                || !await _service.CanReadAsync(tenant, objective, cancellationToken).ConfigureAwait(false))
            {
                return [];
            }
        }

        var list = new List<CheckIn>();
        await foreach (var c in _service.Store.GetHistoryAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false))
        {
            list.Add(c);
        }

        return list;
    }

    /// <summary>
    /// The whole histories of several key results in one read, for those held by objectives the acting person may read
    /// (all of them for the system): what a report charts. Key results held by no objective, or by one the actor may not
    /// read, are left out, as are key results without check-ins.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResults">The key results.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Each history, by effective instant.</returns>
    public ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> HistoriesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.check_ins.histories", tenant, () => HistoriesCoreAsync(tenant, keyResults, cancellationToken));

    private async ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> HistoriesCoreAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default)
    {
        OkrService.CheckTenant(tenant);
        ArgumentNullException.ThrowIfNull(keyResults);
        var wanted = keyResults.Distinct().ToList();
        if (_service.Filters)
        {
            var holders = await _service.Store.FindObjectivesByKeyResultsAsync(tenant, wanted, cancellationToken).ConfigureAwait(false);
            var readable = new HashSet<ObjectiveId>();
            foreach (var holder in holders.Values.DistinctBy(o => o.Id))
            {
                if (await _service.CanReadAsync(tenant, holder, cancellationToken).ConfigureAwait(false))
                {
                    readable.Add(holder.Id);
                }
            }

            wanted = [.. wanted.Where(k => holders.TryGetValue(k, out var o) && readable.Contains(o.Id))];
        }

        return await _service.Store.GetHistoriesAsync(tenant, wanted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The check-ins of a period's key results, in one read, for the objectives the acting person may read (all of
    /// them for the system): what a report charts. Check-ins of hidden objectives are left out, not reported.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The check-ins (corrections included), by id.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist.</exception>
    public ValueTask<IReadOnlyList<CheckIn>> PeriodHistoryAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.check_ins.period_history", tenant, () => PeriodHistoryCoreAsync(tenant, period, cancellationToken));

    private async ValueTask<IReadOnlyList<CheckIn>> PeriodHistoryCoreAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default)
    {
        await _service.RequirePeriodAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        var export = await _service.Store.ExportAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        var readable = new HashSet<KeyResultId>();
        foreach (var objective in export.Objectives)
        {
            if (await _service.CanReadAsync(tenant, objective, cancellationToken).ConfigureAwait(false))
            {
                readable.UnionWith(objective.KeyResults.Select(k => k.Id));
            }
        }

        return [.. export.CheckIns.Where(c => readable.Contains(c.KeyResultId))];
    }

    private async ValueTask DemandAuthorAsync(TenantId tenant, OwnerRef author, CancellationToken cancellationToken)
    {
        if (_service.Actor is not { } actor || author == actor)
        {
            return;
        }

        if (_service.Options.AccessPolicy is not { } policy || !await policy.CanRecordForAsync(tenant, actor, author, cancellationToken).ConfigureAwait(false))
        {
            throw new OkrAccessDeniedException($"{actor} may not record check-ins in the name of {author}.", actor);
        }
    }

    /// <summary>
    /// The value in force after a batch, from the value in force before it and the batch's check-ins of the key result
    /// (and the check-ins they correct): the same answer as <see cref="CheckInHistory.AsOf"/> over the whole history,
    /// because only those can be in force (an FsCheck property holds this).
    /// </summary>
    internal static CheckIn? ValueAfter(CheckIn? before, IReadOnlyList<CheckIn> batch, IReadOnlyDictionary<CheckInId, CheckIn> inBatch, IReadOnlyDictionary<CheckInId, CheckIn> corrected)
    {
        var candidates = new Dictionary<CheckInId, CheckIn>();
        if (before is not null)
        {
            candidates[before.Id] = before;
        }

        foreach (var c in batch)
        {
            candidates.TryAdd(c.Id, c);
            if (c.Corrects is { } target && (corrected.GetValueOrDefault(target) ?? inBatch.GetValueOrDefault(target)) is { } original)
            {
                candidates.TryAdd(original.Id, original);
            }
        }

        return CheckInHistory.AsOf(candidates.Values, OkrStoreFormat.MaxInstant);
    }

    private static Health.HealthAssessment Health(OkrServiceOptions options, KeyResult keyResult, CheckIn? latest, OkrPeriod period, Instant now)
    {
        double? progress = latest is not null && keyResult.ProgressSource == ProgressSource.Measured
            ? options.Scoring.Policy.Score(keyResult, latest.Value).Progress
            : null;
        return options.Health.Assess(new Health.HealthContext(progress, latest?.RecordedAt, latest?.Confidence, period, options.TimeZone, now));
    }

    /// <summary>
    /// Who owes which check-in at an instant: for every key result of the period's active objectives that follows a
    /// cadence (<see cref="CadenceOfAsync"/>) and has a due date on or before that day with no check-in recorded since
    /// the start of the day <see cref="CheckInCadence.GraceDays"/> days before it, the first due date missed, how many
    /// passed, and how overdue (docs/cadence.md). Two reads of the period whatever its size (its objectives, and each key
    /// result's latest recorded check-in from the maintained values), plus the histories of key results with a check-in
    /// recorded after <paramref name="at"/>, when <paramref name="at"/> lies in the past.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period; nothing is due in one that is not active.</param>
    /// <param name="at">The instant to judge at, usually now; days are the organisation's (<see cref="OkrServiceOptions.TimeZone"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What is owed, by owner, then due date, then key result; what the acting person may not read is left out.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist.</exception>
    public ValueTask<IReadOnlyList<DueCheckIn>> DueAsync(TenantId tenant, PeriodId period, Instant at, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.check_ins.due", tenant, () => DueCoreAsync(tenant, period, at, cancellationToken));

    private async ValueTask<IReadOnlyList<DueCheckIn>> DueCoreAsync(TenantId tenant, PeriodId period, Instant at, CancellationToken cancellationToken)
    {
        OkrService.CheckTenant(tenant);
        var p = await _service.RequirePeriodAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        if (p.State != PeriodState.Active)
        {
            return [];
        }

        var options = await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false);
        var all = new Dictionary<ObjectiveId, Objective>();
        await foreach (var o in _service.Store.ListObjectivesAsync(tenant, new ObjectiveQuery { Period = period }, cancellationToken).ConfigureAwait(false))
        {
            all[o.Id] = o;
        }

        var resolver = new CadenceResolver(all, options);
        var owing = new List<(Objective Objective, KeyResult KeyResult, EffectiveCadence Cadence)>();
        var hidden = new HashSet<ObjectiveId>();
        foreach (var o in all.Values)
        {
            if (_service.Filters && !await _service.CanReadAsync(tenant, o, cancellationToken).ConfigureAwait(false))
            {
                hidden.Add(o.Id);
            }
        }

        foreach (var o in all.Values.Where(o => o.State == ObjectiveState.Active && !hidden.Contains(o.Id)))
        {
            foreach (var k in o.KeyResults.Where(k => !k.IsCancelled && k.ProgressSource == ProgressSource.Measured))
            {
                if (resolver.For(o, k) is { } cadence)
                {
                    owing.Add((o, k, cadence.Objective is { } from && hidden.Contains(from) ? cadence.Hiding(from) : cadence));
                }
            }
        }

        if (owing.Count == 0)
        {
            return [];
        }

        // When each key result's latest check-in was recorded, from the maintained values; one recorded after the
        // instant asked about sends that key result to its history for the latest recorded by then.
        var current = await _service.Store.GetCurrentValuesAsync(tenant, [.. owing.Select(x => x.KeyResult.Id)], at, cancellationToken).ConfigureAwait(false);
        var later = current.Values.Where(c => c.LastRecordedAt > at).Select(c => c.KeyResult).ToList();
        var lastRecorded = current.ToDictionary(c => c.Key, c => (Instant?)c.Value.LastRecordedAt);
        if (later.Count > 0)
        {
            var histories = await _service.Store.GetHistoriesAsync(tenant, later, cancellationToken).ConfigureAwait(false);
            foreach (var k in later)
            {
                lastRecorded[k] = histories.GetValueOrDefault(k)?.Where(c => c.RecordedAt <= at).Select(c => (Instant?)c.RecordedAt).Max();
            }
        }

        var zone = options.TimeZone;
        var today = at.InZone(zone).Date;
        var result = new List<DueCheckIn>();
        foreach (var (o, k, cadence) in owing)
        {
            if (Due(tenant, o, k, cadence, p.Dates, today, zone, at, lastRecorded.GetValueOrDefault(k.Id)) is { } due)
            {
                result.Add(due);
            }
        }

        return [.. result.OrderBy(d => d.Owner.ToString(), StringComparer.Ordinal).ThenBy(d => d.Since).ThenBy(d => d.KeyResult.Id)];
    }

    /// <summary>
    /// What a key result owes by its cadence at <paramref name="at"/>: the due dates up to today (in the period) whose
    /// window (from the start of the day the grace days before them) saw no check-in recorded, with the id a reminder
    /// of it keeps across runs and instances.
    /// </summary>
    private static DueCheckIn? Due(TenantId tenant, Objective objective, KeyResult keyResult, EffectiveCadence cadence, DateInterval period, LocalDate today, DateTimeZone zone, Instant at, Instant? lastRecorded)
    {
        if (Owed(cadence.Cadence, period, today, zone, lastRecorded) is not { } owed)
        {
            return null;
        }

        var id = OkrEventFactory.DerivedId(tenant, keyResult.Id.Value, "check-in-due:" + NodaTime.Text.LocalDatePattern.Iso.Format(owed.Since));
        return new DueCheckIn(id, objective, keyResult, cadence, owed.Since, zone.AtStartOfDay(owed.Since).ToInstant(), OverdueAt(cadence.Cadence, owed.Since, zone), at, owed.Missed, lastRecorded);
    }

    /// <summary>
    /// The first due date up to <paramref name="today"/> (in the period) since which no window saw a check-in recorded,
    /// and how many due dates passed since, that one included; null when nothing is owed. A window opens at the start
    /// of the day <see cref="CheckInCadence.GraceDays"/> days before its due date.
    /// </summary>
    internal static (LocalDate Since, int Missed)? Owed(CheckInCadence cadence, DateInterval period, LocalDate today, DateTimeZone zone, Instant? lastRecorded)
    {
        LocalDate? since = null;
        var missed = 0;
        foreach (var d in cadence.DueDates(period))
        {
            if (d > today)
            {
                break;
            }

            var window = zone.AtStartOfDay(d.PlusDays(-cadence.GraceDays)).ToInstant();
            if (lastRecorded is { } last && last >= window)
            {
                (since, missed) = (null, 0);
            }
            else
            {
                since ??= d;
                missed++;
            }
        }

        return since is { } first ? (first, missed) : null;
    }

    /// <summary>When a check-in owed since <paramref name="since"/> becomes overdue: the start of the day the grace days after it.</summary>
    internal static Instant OverdueAt(CheckInCadence cadence, LocalDate since, DateTimeZone zone) => zone.AtStartOfDay(since.PlusDays(cadence.GraceDays)).ToInstant();

    /// <summary>
    /// The cadence a key result follows and where it was set: its own; its owner's (when it has an owner of its own); its
    /// objective's; its objective's owner's; inherited through its objective's links, in order, from the first objective
    /// above it in the same period with one; or the tenant's. Reads the objective and the objectives above it, a level
    /// at a time.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyResult">The key result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cadence, or null when none applies.</returns>
    /// <exception cref="OkrNotFoundException">No objective the acting person may read holds the key result.</exception>
    public ValueTask<EffectiveCadence?> CadenceOfAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.check_ins.cadence_of", tenant, () => CadenceOfCoreAsync(tenant, keyResult, cancellationToken));

    private async ValueTask<EffectiveCadence?> CadenceOfCoreAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken)
    {
        OkrService.CheckTenant(tenant);
        var holder = await _service.Store.FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken).ConfigureAwait(false);
        if (holder is null || !await _service.CanReadAsync(tenant, holder, cancellationToken).ConfigureAwait(false))
        {
            throw new OkrNotFoundException($"No objective holds key result {keyResult}.");
        }

        // The objective and every objective above it in its period, read a level at a time.
        var known = new Dictionary<ObjectiveId, Objective> { [holder.Id] = holder };
        await CadenceResolver.AddAncestorsAsync(_service.Store, tenant, holder.PeriodId, known, cancellationToken).ConfigureAwait(false);

        var options = await _service.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false);
        var cadence = new CadenceResolver(known, options).For(holder, holder.FindKeyResult(keyResult)!);
        if (cadence?.Objective is { } from && known.TryGetValue(from, out var source) && !await _service.CanReadAsync(tenant, source, cancellationToken).ConfigureAwait(false))
        {
            cadence = cadence.Hiding(from);
        }

        return cadence;
    }

    /// <summary>
    /// Records a figure a system of record reports for a key result, safely under retries, duplicates and reordering.
    /// The check-in's id derives from the tenant, the key result, the source, the key and the reading's instant, so the
    /// same reading is recorded once (<see cref="MetricRecordOutcome.Duplicate"/>). A reading at or before the newest
    /// one this source (its <paramref name="author"/>) recorded for the key result is ignored
    /// (<see cref="MetricRecordOutcome.Older"/>), so an older reading is never recorded after a newer one. An
    /// <see cref="MetricReadingMode.Add"/> reading adds to the value in force at its instant (or to the measure's
    /// baseline when there is none). Both rules depend on the key result's history as read, so the write is conditional
    /// on it (its number of check-ins, <see cref="Storage.OkrChangeSet.ExpectCheckInCount"/>) and read again when another
    /// check-in of the key result landed meanwhile: two readings added at once both count, and of two readings of one
    /// source racing, the older one is found older. Check-ins of other key results do not make it read again.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="reading">The reading; its instant becomes the check-in's effective instant.</param>
    /// <param name="author">The source's owner (<see cref="IMetricSource.Owner"/>): its check-ins are the ones by this author.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Recorded, a duplicate (with the stored check-in), or older.</returns>
    /// <exception cref="OkrNotFoundException">No objective the acting person may read holds the key result.</exception>
    /// <exception cref="OkrValidationException">The reading's source or key is invalid, or the value breaks a rule (outside the period, not a value of the measure); nothing was written.</exception>
    /// <exception cref="OkrConcurrencyException">Other check-ins of the key result kept landing through every retry.</exception>
    public ValueTask<MetricRecordResult> RecordFromSourceAsync(TenantId tenant, MetricReading reading, OwnerRef author, CancellationToken cancellationToken = default) =>
        _service.TraceAsync("okr.check_ins.record_from_source", tenant, () => RecordFromSourceCoreAsync(tenant, reading, author, cancellationToken));

    /// <summary>How many times a reading's write is tried when other check-ins land in its period meanwhile.</summary>
    internal const int SourceAttempts = 5;

    private async ValueTask<MetricRecordResult> RecordFromSourceCoreAsync(TenantId tenant, MetricReading reading, OwnerRef author, CancellationToken cancellationToken)
    {
        OkrService.CheckTenant(tenant);
        ArgumentNullException.ThrowIfNull(reading);
        var binding = new MetricBinding(reading.Source, reading.Key);   // validates both
        if (!Enum.IsDefined(reading.Mode))
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.OutOfRange, nameof(MetricReading.Mode), $"Mode {(int)reading.Mode} is not defined.")]);
        }

        var id = new CheckInId(OkrEventFactory.DerivedId(tenant, reading.KeyResult.Value, $"metric:{binding}@{NodaTime.Text.InstantPattern.ExtendedIso.Format(reading.At)}"));
        for (var attempt = 1; ; attempt++)
        {
            var holder = await _service.Store.FindObjectiveByKeyResultAsync(tenant, reading.KeyResult, cancellationToken).ConfigureAwait(false);
            if (holder is null || !await _service.CanReadAsync(tenant, holder, cancellationToken).ConfigureAwait(false))
            {
                throw new OkrNotFoundException($"No objective holds key result {reading.KeyResult}.");
            }

            if (await _service.Store.GetCheckInAsync(tenant, id, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return new MetricRecordResult(MetricRecordOutcome.Duplicate, stored);
            }

            // Whether the reading is older than this source's newest, and an added amount's value in force, depend on the
            // key result's history as read: no check-in of it may land in between (its count, checked at commit under
            // the lock its appends take).
            var history = new List<CheckIn>();
            await foreach (var c in _service.Store.GetHistoryAsync(tenant, reading.KeyResult, cancellationToken).ConfigureAwait(false))
            {
                history.Add(c);
            }

            if (history.Where(c => c.Author == author && !c.IsCorrection).Select(c => (Instant?)c.EffectiveAt).Max() is { } newest && reading.At <= newest)
            {
                return new MetricRecordResult(MetricRecordOutcome.Older, null);
            }

            var keyResult = holder.FindKeyResult(reading.KeyResult)!;
            var value = reading.Mode == MetricReadingMode.Set
                ? reading.Value
                : (CheckInHistory.AsOf(history, reading.At)?.Value ?? Baseline(keyResult.Measure)) + reading.Value;
            var checkIn = CheckIn.Record(id, reading.KeyResult, value, author, _service.Clock, reading.At, note: $"From {binding.Source} ({binding.Key}), as of {NodaTime.Text.InstantPattern.ExtendedIso.Format(reading.At)}.");
            try
            {
                await RecordManyCoreAsync(tenant, [checkIn], changes => changes.ExpectCheckInCount(reading.KeyResult, history.Count), cancellationToken).ConfigureAwait(false);
                return new MetricRecordResult(MetricRecordOutcome.Recorded, checkIn);
            }
            catch (OkrConcurrencyException) when (attempt < SourceAttempts)
            {
                // Another check-in of the key result landed (or this reading, from another instance): read again.
            }
        }
    }

    private static decimal Baseline(Measure measure) => measure switch
    {
        IncreaseMeasure m => m.Baseline,
        DecreaseMeasure m => m.Baseline,
        StagedMeasure m => m.Baseline,
        _ => 0m,
    };
}
