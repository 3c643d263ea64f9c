using NodaTime;
using Okr.Core;
using Okr.Core.Alignment;
using Okr.Core.Rules;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Testing;

/// <summary>
/// The races of the conformance kit's concurrency section, with the held write in a second OS process
/// (<see cref="RacingWriter"/>) and the competing write in the test's process, on one database.
/// </summary>
public static class CrossProcessRaces
{
    private static readonly Instant Now = Instant.FromUtc(2026, 1, 15, 9, 0);

    /// <summary>A check-in decided in another process before a close commits here: it loses, and nothing lands after the grades.</summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, and the check-ins stored on its key result afterwards.</returns>
    public static async Task<(string Outcome, int CheckIns)> CheckInAgainstCloseAsync(string provider, string connectionString, IOkrStore store)
    {
        var (okr, tenant, period, objective) = await SetUpAsync(store).ConfigureAwait(false);
        var kr = objective.KeyResults[0].Id;
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "record", kr.ToString()).ConfigureAwait(false);
        await okr.Periods.CloseAsync(tenant, period.Id).ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        return (outcome, (await okr.CheckIns.HistoryAsync(tenant, kr).ConfigureAwait(false)).Count);
    }

    /// <summary>A close decided in another process before a check-in commits here: it loses, and the period stays active.</summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, and the period's state afterwards.</returns>
    public static async Task<(string Outcome, PeriodState State)> CloseAgainstCheckInAsync(string provider, string connectionString, IOkrStore store)
    {
        var (okr, tenant, period, objective) = await SetUpAsync(store).ConfigureAwait(false);
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "close", period.Id.ToString()).ConfigureAwait(false);
        await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[0].Id, 7m, OwnerRef.Person("here")).ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        return (outcome, (await okr.Periods.GetAsync(tenant, period.Id).ConfigureAwait(false)).State);
    }

    /// <summary>x → y decided in another process while y → x commits here: it loses, and no cycle is stored.</summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, and the number of alignment links stored in the period.</returns>
    public static async Task<(string Outcome, int Links)> AlignmentAgainstAlignmentAsync(string provider, string connectionString, IOkrStore store)
    {
        var (okr, tenant, period, x) = await SetUpAsync(store).ConfigureAwait(false);
        var y = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(new FixedClock(Now)), period.Id, "Y", OwnerRef.Team("t"), new FixedClock(Now))).ConfigureAwait(false);
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "align", x.Id.ToString(), y.Id.ToString()).ConfigureAwait(false);
        await okr.Objectives.AlignAsync(tenant, y.Id, new AlignmentLink(x.Id)).ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        var objectives = await okr.Objectives.ListAsync(tenant, new ObjectiveQuery { Period = period.Id }).ToListAsync().ConfigureAwait(false);
        _ = AlignmentGraph.Build(objectives);   // throws on a stored cycle
        return (outcome, objectives.Sum(o => o.Alignments.Count));
    }

    /// <summary>Two creates of one period id, the held one in another process: it loses, and the one here stays.</summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, and the stored period's name and history length.</returns>
    public static async Task<(string Outcome, string Name, int Versions)> CreateAgainstCreateAsync(string provider, string connectionString, IOkrStore store)
    {
        var (okr, tenant, _, _) = await SetUpAsync(store).ConfigureAwait(false);
        var id = new PeriodId(Guid.CreateVersion7());
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "create-period", id.ToString()).ConfigureAwait(false);
        await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(id, 2026, 2)).ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        return (outcome, (await okr.Periods.GetAsync(tenant, id).ConfigureAwait(false)).Name, (await okr.Periods.HistoryAsync(tenant, id).ConfigureAwait(false)).Count);
    }

    /// <summary>
    /// Calendar Q3 2026 decided in another process while fiscal Q2 of FY2027 (April start: the same days, another id and
    /// name) commits here: it loses, and the tenant holds one quarter of those days.
    /// </summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, and how many periods start on 1 July 2026.</returns>
    public static async Task<(string Outcome, int Quarters)> OverlapAgainstOverlapAsync(string provider, string connectionString, IOkrStore store)
    {
        var (okr, tenant, _, _) = await SetUpAsync(store).ConfigureAwait(false);
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "create-period", new PeriodId(Guid.CreateVersion7()).ToString()).ConfigureAwait(false);
        await okr.Periods.CreateAsync(tenant, OkrPeriod.FiscalQuarter(new PeriodId(Guid.CreateVersion7()), 2027, 2, 4)).ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        var periods = await store.ListPeriodsAsync(tenant).ToListAsync().ConfigureAwait(false);
        return (outcome, periods.Count(p => p.Dates.Start == new LocalDate(2026, 7, 1)));
    }

    /// <summary>An archive decided in another process while a reopen commits here: it loses, and the period is active.</summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, and the period's state afterwards.</returns>
    public static async Task<(string Outcome, PeriodState State)> ArchiveAgainstReopenAsync(string provider, string connectionString, IOkrStore store)
    {
        var (okr, tenant, period, _) = await SetUpAsync(store).ConfigureAwait(false);
        await okr.Periods.CloseAsync(tenant, period.Id).ConfigureAwait(false);
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "archive", period.Id.ToString()).ConfigureAwait(false);
        await okr.Periods.ReopenAsync(tenant, period.Id, "Late figures").ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        return (outcome, (await okr.Periods.GetAsync(tenant, period.Id).ConfigureAwait(false)).State);
    }

    /// <summary>A carry-over decided in another process while the same carry-over commits here: it loses, and the target holds one copy.</summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, and the number of objectives in the target period.</returns>
    public static async Task<(string Outcome, int Copies)> CarryOverAgainstCarryOverAsync(string provider, string connectionString, IOkrStore store)
    {
        var (okr, tenant, period, objective) = await SetUpAsync(store).ConfigureAwait(false);
        var next = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.CreateVersion7()), 2026, 2)).ConfigureAwait(false);
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "carry-over", period.Id.ToString(), next.Id.ToString(), objective.Id.ToString()).ConfigureAwait(false);
        await okr.Periods.CarryOverAsync(tenant, period.Id, next.Id, [objective.Id]).ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        return (outcome, await okr.Objectives.ListAsync(tenant, new ObjectiveQuery { Period = next.Id }).CountAsync().ConfigureAwait(false));
    }

    /// <summary>An activation decided in another process while a close commits here: it loses, and the draft stays a draft.</summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, and the objectives of the closed period that are still active.</returns>
    public static async Task<(string Outcome, int ActiveInClosedPeriod)> ActivateAgainstCloseAsync(string provider, string connectionString, IOkrStore store)
    {
        var (okr, tenant, period, _) = await SetUpAsync(store).ConfigureAwait(false);
        var clock = new FixedClock(Now);
        var draft = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), period.Id, "Late", OwnerRef.Team("t"), clock, keyResults:
        [
            new KeyResult(KeyResultId.New(clock), "One", new MilestoneMeasure()),
            new KeyResult(KeyResultId.New(clock), "Two", new MilestoneMeasure()),
            new KeyResult(KeyResultId.New(clock), "Three", new MilestoneMeasure()),
        ])).ConfigureAwait(false);
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "activate", draft.Id.ToString()).ConfigureAwait(false);
        await okr.Periods.CloseAsync(tenant, period.Id).ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        var objectives = await okr.Objectives.ListAsync(tenant, new ObjectiveQuery { Period = period.Id }).ToListAsync().ConfigureAwait(false);
        return (outcome, objectives.Count(o => o.State == ObjectiveState.Active));
    }

    /// <summary>
    /// Two check-ins on one key result, one from each process: the other process's (42, effective now) is decided
    /// first and commits after this process's (7, effective an hour later). The maintained current value follows the
    /// rule of <see cref="CheckInHistory.AsOf"/> (the latest effective), not the order of the commits.
    /// </summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process; the value in force and the latest recorded instant the store keeps;
    /// the value the definition gives over the stored history and its latest recorded instant.</returns>
    public static async Task<(string Outcome, decimal? Current, Instant? LastRecorded, decimal? Definition, Instant? LatestRecorded)> CheckInAgainstCheckInAsync(string provider, string connectionString, IOkrStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (_, tenant, _, objective) = await SetUpAsync(store).ConfigureAwait(false);
        var kr = objective.KeyResults[0].Id;
        var later = Now + Duration.FromHours(1);
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "record", kr.ToString()).ConfigureAwait(false);
        await new OkrService(store, new FixedClock(later)).CheckIns.RecordAsync(tenant, kr, 7m, OwnerRef.Person("here")).ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        var current = (await store.GetCurrentValuesAsync(tenant, [kr], later).ConfigureAwait(false)).GetValueOrDefault(kr);
        var history = await store.GetHistoryAsync(tenant, kr).ToListAsync().ConfigureAwait(false);
        return (outcome, current?.InForce?.Value, current?.LastRecordedAt, CheckInHistory.AsOf(history, later)?.Value, history.Count == 0 ? null : history.Max(c => c.RecordedAt));
    }

    /// <summary>
    /// Under the rule of one active period per kind, an activation of one quarter decided in another process while
    /// another quarter's activation commits here: it loses, and exactly one quarter is active.
    /// </summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, and the names of the active periods afterwards.</returns>
    public static async Task<(string Outcome, IReadOnlyList<string> Active)> PeriodActivationAgainstActivationAsync(string provider, string connectionString, IOkrStore store)
    {
        var clock = new FixedClock(Now);
        var okr = new OkrService(store, clock, new OkrServiceOptions { Rules = OkrRules.CreateDefault(new OkrRuleOptions { SingleActivePeriodPerKind = true }) });
        var tenant = new TenantId(Guid.CreateVersion7());
        var q1 = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1)).ConfigureAwait(false);
        var q2 = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 2)).ConfigureAwait(false);
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "activate-period", q1.Id.ToString()).ConfigureAwait(false);
        await okr.Periods.ActivateAsync(tenant, q2.Id).ConfigureAwait(false);
        var outcome = await racer.GoAsync().ConfigureAwait(false);
        var periods = await store.ListPeriodsAsync(tenant).ToListAsync().ConfigureAwait(false);
        return (outcome, [.. periods.Where(p => p.State == PeriodState.Active).Select(p => p.Name)]);
    }

    /// <summary>
    /// Two amounts a metric source adds to one key result, one from each process: the other process's (5) is decided
    /// first and commits after this process's (7). Both count: the held one finds the period changed at its commit,
    /// reads again and adds to the value recorded here.
    /// </summary>
    /// <param name="provider"><c>sqlite</c> or <c>postgresql</c>.</param>
    /// <param name="connectionString">The database both processes use.</param>
    /// <param name="store">This process's store on that database.</param>
    /// <returns>The outcome of the other process, the key result's baseline, and the values of its stored history in order.</returns>
    public static async Task<(string Outcome, decimal Baseline, IReadOnlyList<decimal> Values)> AddedReadingAgainstAddedReadingAsync(string provider, string connectionString, IOkrStore store)
    {
        var (okr, tenant, _, objective) = await SetUpAsync(store).ConfigureAwait(false);
        var kr = objective.KeyResults[0];
        await using var racer = await RacingWriter.StartAsync(provider, connectionString, tenant.ToString(), "add-reading", kr.Id.ToString(), "5", "1").ConfigureAwait(false);
        var here = await okr.CheckIns.RecordFromSourceAsync(tenant, new MetricReading(kr.Id, "crm", "k", Now - Duration.FromHours(2), 7m, MetricReadingMode.Add), OwnerRef.Person("svc-crm")).ConfigureAwait(false);
        if (here.Outcome != MetricRecordOutcome.Recorded)
        {
            throw new InvalidOperationException($"The reading made here was {here.Outcome}.");
        }

        var outcome = await racer.GoAsync().ConfigureAwait(false);
        var history = await okr.CheckIns.HistoryAsync(tenant, kr.Id).ConfigureAwait(false);
        return (outcome, ((IncreaseMeasure)kr.Measure).Baseline, [.. history.Select(c => c.Value)]);
    }

    private static async Task<(OkrService Okr, TenantId Tenant, OkrPeriod Period, Objective Objective)> SetUpAsync(IOkrStore store)
    {
        var clock = new FixedClock(Now);
        var okr = new OkrService(store, clock);
        var tenant = new TenantId(Guid.CreateVersion7());
        var period = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1)).ConfigureAwait(false);
        period = await okr.Periods.ActivateAsync(tenant, period.Id).ConfigureAwait(false);
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), period.Id, "X", OwnerRef.Team("t"), clock, keyResults:
        [
            new KeyResult(KeyResultId.New(clock), "One", new IncreaseMeasure(0m, 100m)),
            new KeyResult(KeyResultId.New(clock), "Two", new IncreaseMeasure(0m, 100m)),
            new KeyResult(KeyResultId.New(clock), "Three", new MilestoneMeasure()),
        ])).ConfigureAwait(false);
        return (okr, tenant, period, await okr.Objectives.ActivateAsync(tenant, objective.Id).ConfigureAwait(false));
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
