namespace Okr.Core.Storage;

/// <summary>
/// One unit of work for <see cref="IOkrStore.CommitAsync"/>: the writes a decision produced, and the versions of
/// everything the decision read. A store applies it in one transaction only if every expectation still holds at
/// commit time; otherwise it writes nothing and throws <see cref="OkrConcurrencyException"/>.
/// </summary>
/// <remarks>
/// <para>This is how the facade keeps its rules true with many writers: it reads, decides, and then commits
/// <em>conditionally on what it read</em>. A check-in, for example, expects its objective's version (so the
/// objective is still active with the same key result) and its period's version (so the period is still open);
/// closing a period expects the period, every objective of the period and the period's content (so no check-in or
/// objective arrived after the grades were computed).</para>
/// <para>An expectation is checked, not changed: two check-ins that both expect the same period version commit
/// side by side. A write with an expected version both checks and replaces (0 for an item that must not exist yet).</para>
/// <para>Not thread-safe; build one per decision.</para>
/// </remarks>
public sealed class OkrChangeSet
{
    private readonly Dictionary<PeriodId, long> _expectedPeriods = [];
    private readonly Dictionary<ObjectiveId, long> _expectedObjectives = [];
    private readonly Dictionary<PeriodId, PeriodContent> _expectedContent = [];
    private readonly Dictionary<KeyResultId, long> _expectedCheckInCounts = [];
    private readonly List<PeriodWrite> _periods = [];
    private readonly List<ObjectiveWrite> _objectives = [];
    private readonly List<CheckIn> _checkIns = [];
    private readonly List<Events.OkrEvent> _events = [];
    private readonly List<IReadOnlyList<CheckInId>?> _eventConditions = [];
    private readonly HashSet<PeriodId> _writtenPeriods = [];
    private readonly HashSet<ObjectiveId> _writtenObjectives = [];

    /// <summary>Periods that must still be at the given version (read, not written).</summary>
    public IReadOnlyDictionary<PeriodId, long> ExpectedPeriods => _expectedPeriods;

    /// <summary>Objectives that must still be at the given version (read, not written).</summary>
    public IReadOnlyDictionary<ObjectiveId, long> ExpectedObjectives => _expectedObjectives;

    /// <summary>Periods whose content (objectives and check-ins) must still be what was counted.</summary>
    public IReadOnlyDictionary<PeriodId, PeriodContent> ExpectedContent => _expectedContent;

    /// <summary>Key results that must still hold the given number of check-ins, corrections included (see <see cref="ExpectCheckInCount"/>).</summary>
    public IReadOnlyDictionary<KeyResultId, long> ExpectedCheckInCounts => _expectedCheckInCounts;

    /// <summary>
    /// How many periods the tenant must hold when the unit commits, before its own new ones (see
    /// <see cref="ExpectPeriodCount"/>); null for no such condition.
    /// </summary>
    public long? ExpectedPeriodCount { get; private set; }

    /// <summary>
    /// Requires the tenant to hold exactly <paramref name="count"/> periods when the unit commits, not counting the
    /// periods the unit itself creates. With an expectation on every period read, this makes a decision about the
    /// tenant's whole calendar (no two quarters overlap) hold at commit time: any period created, activated or changed
    /// meanwhile fails the unit. Stores check it under the tenant's event-stream lock, so the unit must raise an event.
    /// </summary>
    /// <param name="count">The number of periods read, ≥ 0.</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet ExpectPeriodCount(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ExpectedPeriodCount = count;
        return this;
    }

    /// <summary>Periods to write, each replacing its expected version (0: a new period).</summary>
    public IReadOnlyList<PeriodWrite> Periods => _periods;

    /// <summary>Objectives to write, each replacing its expected version (0: a new objective, or one an import stored at 0).</summary>
    public IReadOnlyList<ObjectiveWrite> Objectives => _objectives;

    /// <summary>Check-ins to append; identical ones already stored are skipped.</summary>
    public IReadOnlyList<CheckIn> CheckIns => _checkIns;

    /// <summary>Events to write in the same transaction (the outbox), each with sequence 0: the store numbers them.</summary>
    public IReadOnlyList<Events.OkrEvent> Events => _events;

    /// <summary>
    /// For each of <see cref="Events"/>, the check-ins it depends on (see <see cref="Raise(Events.OkrEvent, CheckInId[])"/>),
    /// or null for an event written with the unit whatever it appends.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<CheckInId>?> EventConditions => _eventConditions;

    /// <summary>
    /// Adds an event to the unit: it is written with the unit's changes, in the same transaction, or not at all. The
    /// store gives it the tenant's next sequence number.
    /// </summary>
    /// <param name="okrEvent">The event, with sequence 0 and the unit's tenant.</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet Raise(Events.OkrEvent okrEvent) => RaiseCore(okrEvent, null);

    /// <summary>
    /// Adds an event that is written only if the unit appends at least one of <paramref name="checkIns"/> as new: when
    /// they were all stored before (a retried request), the event is left out, so a retry raises nothing twice.
    /// </summary>
    /// <param name="okrEvent">The event, with sequence 0 and the unit's tenant.</param>
    /// <param name="checkIns">Check-ins of the unit's <see cref="CheckIns"/>, at least one.</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet Raise(Events.OkrEvent okrEvent, params CheckInId[] checkIns)
    {
        ArgumentNullException.ThrowIfNull(checkIns);
        if (checkIns.Length == 0)
        {
            throw new ArgumentException("Name at least one check-in the event depends on, or use Raise(okrEvent).", nameof(checkIns));
        }

        return RaiseCore(okrEvent, [.. checkIns]);
    }

    private OkrChangeSet RaiseCore(Events.OkrEvent okrEvent, IReadOnlyList<CheckInId>? checkIns)
    {
        ArgumentNullException.ThrowIfNull(okrEvent);
        if (okrEvent.Sequence != 0)
        {
            throw new ArgumentException($"Event {okrEvent.Id} already has sequence {okrEvent.Sequence}; the store numbers events.", nameof(okrEvent));
        }

        _events.Add(okrEvent);
        _eventConditions.Add(checkIns);
        return this;
    }

    /// <summary>Requires a period to be still at the version read when the unit commits.</summary>
    /// <param name="period">The period as read.</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet Expect(OkrPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return ExpectPeriod(period.Id, period.Version);
    }

    /// <summary>Requires an objective to be still at the version read when the unit commits.</summary>
    /// <param name="objective">The objective as read.</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet Expect(Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return ExpectObjective(objective.Id, objective.Version);
    }

    /// <summary>Requires a period to be still at <paramref name="version"/> when the unit commits.</summary>
    /// <param name="period">The period.</param>
    /// <param name="version">The version read.</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet ExpectPeriod(PeriodId period, long version)
    {
        Stale(_expectedPeriods.TryGetValue(period, out var known) && known != version, $"Period {period} was read at version {known} and then at version {version}: it changed while the decision was made.", known, version);
        _expectedPeriods[period] = version;
        return this;
    }

    /// <summary>Requires an objective to be still at <paramref name="version"/> when the unit commits.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="version">The version read.</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet ExpectObjective(ObjectiveId objective, long version)
    {
        Stale(_expectedObjectives.TryGetValue(objective, out var known) && known != version, $"Objective {objective} was read at version {known} and then at version {version}: it changed while the decision was made.", known, version);
        _expectedObjectives[objective] = version;
        return this;
    }

    /// <summary>
    /// Requires a period to hold the same number of objectives and check-ins when the unit commits as when
    /// <paramref name="content"/> was counted (<see cref="IOkrStore.GetPeriodContentAsync"/>). Count before reading
    /// what the decision depends on: nothing is ever deleted, and changing a counted objective changes its version,
    /// so equal counts (with the objectives' versions) mean nothing arrived in between.
    /// </summary>
    /// <param name="period">The period.</param>
    /// <param name="content">The counts read.</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet ExpectContent(PeriodId period, PeriodContent content)
    {
        _expectedContent[period] = content;
        return this;
    }

    /// <summary>
    /// Requires a key result to hold exactly <paramref name="count"/> check-ins, corrections included and the unit's own
    /// not counted, when the unit commits: as many as its history held when it was read
    /// (<see cref="IOkrStore.GetHistoryAsync"/>). Check-ins are never deleted, so an equal count means no check-in of
    /// the key result arrived in between. A decision that depends on one key result's history (an amount added to
    /// its value in force) then holds at commit time at the cost of that key result alone: check-ins of other key
    /// results, even in the same period, neither fail it nor wait for it.
    /// </summary>
    /// <param name="keyResult">The key result.</param>
    /// <param name="count">The number of check-ins read, ≥ 0.</param>
    /// <returns>This unit.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyResult"/> is the default identifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="OkrConcurrencyException">The unit already expects another count for the key result: it was read twice and changed in between.</exception>
    public OkrChangeSet ExpectCheckInCount(KeyResultId keyResult, long count)
    {
        if (keyResult == default)
        {
            throw new ArgumentException("The key result is the default identifier, which names no key result.", nameof(keyResult));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Stale(_expectedCheckInCounts.TryGetValue(keyResult, out var known) && known != count, $"Key result {keyResult} was read with {known} check-in(s) and then with {count}: one arrived while the decision was made.", known, count);
        _expectedCheckInCounts[keyResult] = count;
        return this;
    }

    /// <summary>Writes a period, replacing <paramref name="expectedVersion"/> (0 creates it).</summary>
    /// <param name="period">The period to store; the store sets its version to <c>expectedVersion + 1</c>.</param>
    /// <param name="expectedVersion">The version read (0 for a new period).</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet Save(OkrPeriod period, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(period);
        Conflict(!_writtenPeriods.Add(period.Id), $"Period {period.Id} is written twice in one unit.");
        _periods.Add(new PeriodWrite(period, expectedVersion));
        return this;
    }

    /// <summary>Writes an objective, replacing <paramref name="expectedVersion"/> (0 creates it).</summary>
    /// <param name="objective">The objective to store; the store sets its version to <c>expectedVersion + 1</c>.</param>
    /// <param name="expectedVersion">The version read (0 for a new objective).</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet Save(Objective objective, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(objective);
        Conflict(!_writtenObjectives.Add(objective.Id), $"Objective {objective.Id} is written twice in one unit.");
        _objectives.Add(new ObjectiveWrite(objective, expectedVersion));
        return this;
    }

    /// <summary>Appends check-ins.</summary>
    /// <param name="checkIns">The check-ins.</param>
    /// <returns>This unit.</returns>
    public OkrChangeSet Append(IEnumerable<CheckIn> checkIns)
    {
        ArgumentNullException.ThrowIfNull(checkIns);
        foreach (var c in checkIns)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(checkIns));
            _checkIns.Add(c);
        }

        return this;
    }

    /// <summary>
    /// Every version the unit depends on: what it expects and what it replaces, periods then objectives, each in id
    /// order (the order SQL stores lock rows in, so that two units never wait on each other in a circle).
    /// </summary>
    /// <returns>The periods and objectives with the version each must have.</returns>
    public (IReadOnlyList<KeyValuePair<PeriodId, long>> Periods, IReadOnlyList<KeyValuePair<ObjectiveId, long>> Objectives) Dependencies()
    {
        var periods = new SortedDictionary<PeriodId, long>(_expectedPeriods);
        foreach (var w in _periods)
        {
            Stale(periods.TryGetValue(w.Period.Id, out var v) && v != w.ExpectedVersion, $"Period {w.Period.Id} was read at version {v} and is written over version {w.ExpectedVersion}.", v, w.ExpectedVersion);
            periods[w.Period.Id] = w.ExpectedVersion;
        }

        var objectives = new SortedDictionary<ObjectiveId, long>(_expectedObjectives);
        foreach (var w in _objectives)
        {
            Stale(objectives.TryGetValue(w.Objective.Id, out var v) && v != w.ExpectedVersion, $"Objective {w.Objective.Id} was read at version {v} and is written over version {w.ExpectedVersion}.", v, w.ExpectedVersion);
            objectives[w.Objective.Id] = w.ExpectedVersion;
        }

        return ([.. periods], [.. objectives]);
    }

    private static void Stale(bool stale, string message, long expected, long actual)
    {
        if (stale)
        {
            throw new OkrConcurrencyException(message + " Read again and retry.", expected, actual);
        }
    }

    private static void Conflict(bool conflicting, string message)
    {
        if (conflicting)
        {
            throw new ArgumentException(message);
        }
    }
}
