using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Testing;

/// <summary>
/// Plays one sequence of facade operations on several stores side by side (one <see cref="OkrService"/> per
/// store, one shared clock, one fresh tenant) and compares what each call did and what each store holds at
/// the end. The first store is the reference; every store must agree with it call by call.
/// </summary>
public static class StoreEquivalence
{
    /// <summary>The operations a step can ask for.</summary>
    public enum Op
    {
        /// <summary>Create and activate a calendar quarter.</summary>
        NewPeriod,

        /// <summary>Create a draft objective with three key results.</summary>
        NewObjective,

        /// <summary>Activate an objective.</summary>
        Activate,

        /// <summary>Check in on a key result.</summary>
        CheckIn,

        /// <summary>Correct an earlier check-in.</summary>
        Correct,

        /// <summary>Rename an objective.</summary>
        Rename,

        /// <summary>Align one objective under another.</summary>
        Align,

        /// <summary>Cancel an objective.</summary>
        Cancel,

        /// <summary>Close a period.</summary>
        ClosePeriod,

        /// <summary>Reopen a closed period.</summary>
        Reopen,

        /// <summary>Archive a closed period.</summary>
        Archive,

        /// <summary>Rename an objective with a loaded version (an ETag) that may be stale.</summary>
        RenameAtVersion,

        /// <summary>Import, through the facade, an objective as stored but aligned under another (which may close a cycle).</summary>
        Reimport,
    }

    /// <summary>One generated step: the operation, two selectors (taken modulo what exists) and a value.</summary>
    public static readonly Gen<(Op Op, int A, int B, int Value)> Step =
        from op in Gen.Frequency(
            (1, Gen.Constant(Op.NewPeriod)), (3, Gen.Constant(Op.NewObjective)), (3, Gen.Constant(Op.Activate)), (6, Gen.Constant(Op.CheckIn)),
            (2, Gen.Constant(Op.Correct)), (1, Gen.Constant(Op.Rename)), (2, Gen.Constant(Op.Align)), (1, Gen.Constant(Op.Cancel)), (1, Gen.Constant(Op.ClosePeriod)),
            (1, Gen.Constant(Op.Reopen)), (1, Gen.Constant(Op.Archive)), (1, Gen.Constant(Op.RenameAtVersion)), (1, Gen.Constant(Op.Reimport)))
        from a in Gen.Choose(0, 1000)
        from b in Gen.Choose(0, 1000)
        from value in Gen.Choose(-50, 250)
        select (op, a, b, value);

    /// <summary>Sequences of at most 40 steps.</summary>
    public static Arbitrary<List<(Op Op, int A, int B, int Value)>> Sequences { get; } =
        Step.ListOf().Select(l => l.Take(40).ToList()).ToArbitrary();

    /// <summary>
    /// A scripted quarter, so a property is known to reach real data: two objectives aligned both ways (the
    /// second refused as a cycle), check-ins, a correction, a rename, a close, and a check-in refused after it.
    /// It ends with 2 objectives, 3 check-ins and 2 closed objectives.
    /// </summary>
    public static readonly (Op Op, int A, int B, int Value)[] Script =
    [
        (Op.NewPeriod, 0, 0, 0), (Op.NewObjective, 0, 0, 0), (Op.NewObjective, 0, 0, 0), (Op.Activate, 0, 0, 0), (Op.Activate, 1, 0, 0),
        (Op.Align, 1, 0, 0), (Op.Align, 0, 1, 0), (Op.CheckIn, 0, 0, 40), (Op.CheckIn, 1, 2, 90), (Op.Correct, 0, 0, 45),
        (Op.Rename, 1, 0, 7), (Op.ClosePeriod, 0, 0, 0), (Op.CheckIn, 0, 1, 50),
    ];

    /// <summary>Plays <paramref name="steps"/> on every store.</summary>
    /// <param name="stores">The stores, the reference first, each with a name for messages.</param>
    /// <param name="steps">The steps.</param>
    /// <returns>Whether every store ended in the reference's state, and what the last store holds.</returns>
    /// <exception cref="InvalidOperationException">A call succeeded on one store and failed on another, or failed differently.</exception>
    public static async Task<(bool Same, int Objectives, int CheckIns, int Closed)> RunAsync(
        IReadOnlyList<(string Name, IOkrStore Store)> stores, IEnumerable<(Op Op, int A, int B, int Value)> steps)
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var tenant = new TenantId(Guid.NewGuid());
        var services = stores.Select(s => new OkrService(s.Store, clock)).ToList();
        var periods = new List<PeriodId>();
        var objectives = new List<Objective>();
        var checkIns = new List<CheckInId>();
        var serial = 0;
        Guid Next() => Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddMilliseconds(++serial));

        foreach (var (op, a, b, value) in steps)
        {
            clock.Advance(Duration.FromHours(7));
            Func<OkrService, Task<object?>>? action = op switch
            {
                Op.NewPeriod => PeriodStep(new PeriodId(Next()), periods.Count),
                Op.NewObjective when periods.Count > 0 => ObjectiveStep(new ObjectiveId(Next()), periods[a % periods.Count], [new KeyResultId(Next()), new KeyResultId(Next()), new KeyResultId(Next())]),
                Op.Activate when objectives.Count > 0 => async s => await s.Objectives.ActivateAsync(tenant, objectives[a % objectives.Count].Id),
                Op.CheckIn when objectives.Count > 0 => CheckInStep(new CheckInId(Next()), objectives[a % objectives.Count].KeyResults[b % 3].Id, value),
                Op.Correct when checkIns.Count > 0 => CorrectStep(new CheckInId(Next()), checkIns[a % checkIns.Count], value),
                Op.Rename when objectives.Count > 0 => async s => await s.Objectives.EditAsync(tenant, objectives[a % objectives.Count].Id, (o, c) => o.WithTitle($"Renamed {value}", c)),
                Op.Align when objectives.Count > 1 => async s => await s.Objectives.AlignAsync(tenant, objectives[a % objectives.Count].Id, new AlignmentLink(objectives[b % objectives.Count].Id, weight: 1 + (value & 3))),
                Op.Cancel when objectives.Count > 0 => async s => await s.Objectives.CancelAsync(tenant, objectives[a % objectives.Count].Id),
                Op.ClosePeriod when periods.Count > 0 => async s => await s.Periods.CloseAsync(tenant, periods[a % periods.Count]),
                Op.Reopen when periods.Count > 0 => async s => await s.Periods.ReopenAsync(tenant, periods[a % periods.Count], $"Audit {value}"),
                Op.Archive when periods.Count > 0 => async s => await s.Periods.ArchiveAsync(tenant, periods[a % periods.Count]),
                Op.RenameAtVersion when objectives.Count > 0 => async s => await s.Objectives.EditAsync(tenant, objectives[a % objectives.Count].Id, (o, c) => o.WithTitle($"Renamed {value}", c), expectedVersion: 1 + (b % 4)),
                Op.Reimport when objectives.Count > 1 => ReimportStep(objectives[a % objectives.Count].Id, objectives[b % objectives.Count].Id),
                _ => null,
            };

            if (action is null)
            {
                continue;
            }

            // Every store must do the same: succeed with an equal result, or fail with the same error and codes.
            var outcomes = new List<string>();
            object? first = null;
            for (var i = 0; i < services.Count; i++)
            {
                try
                {
                    var result = await action(services[i]).ConfigureAwait(false);
                    // Objectives, periods and check-ins compare by value; other results (assessments) by the export at the end.
                    var agrees = i == 0 || result is not (Objective or OkrPeriod or CheckIn) || Equals(result, first);
                    outcomes.Add(agrees ? "ok" : $"ok, but returned {result} where {stores[0].Name} returned {first}");
                    first = i == 0 ? result : first;
                }
                catch (OkrException ex)
                {
                    outcomes.Add(ex.GetType().Name + ":" + string.Join(",", (ex as OkrValidationException)?.Violations.Select(v => v.Code) ?? []));
                }
            }

            for (var i = 1; i < outcomes.Count; i++)
            {
                if (outcomes[i] != outcomes[0])
                {
                    throw new InvalidOperationException($"{op}: {stores[0].Name} {outcomes[0]}, {stores[i].Name} {outcomes[i]}");
                }
            }

            // Remember what the step made (every store made the same, so the reference's is kept).
            if (first is OkrPeriod period && op == Op.NewPeriod)
            {
                periods.Add(period.Id);
            }
            else if (first is Objective created && op == Op.NewObjective)
            {
                objectives.Add(created);
            }
            else if (first is CheckIn checkIn)
            {
                checkIns.Add(checkIn.Id);
            }
        }

        var exports = new List<Core.Serialization.OkrDocument>();
        foreach (var (_, store) in stores)
        {
            exports.Add(await store.ExportAsync(tenant).ConfigureAwait(false));
        }

        var reference = exports[0];
        var same = exports.Skip(1).All(e => reference.Periods.SequenceEqual(e.Periods)
            && reference.Objectives.OrderBy(o => o.Id).SequenceEqual(e.Objectives.OrderBy(o => o.Id))
            && reference.CheckIns.SequenceEqual(e.CheckIns));
        var last = exports[^1];
        return (same, last.Objectives.Count, last.CheckIns.Count, last.Objectives.Count(o => o.State == ObjectiveState.Closed));

        Func<OkrService, Task<object?>> PeriodStep(PeriodId id, int n) => async s =>
        {
            await s.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(id, 2026, 1 + (n % 4))).ConfigureAwait(false);
            return await s.Periods.ActivateAsync(tenant, id).ConfigureAwait(false);
        };

        Func<OkrService, Task<object?>> ObjectiveStep(ObjectiveId id, PeriodId period, KeyResultId[] krs) => async s =>
        {
            var draft = Objective.Create(id, period, "Objective", OwnerRef.Team("team"), clock, keyResults: krs.Select(k => new KeyResult(k, "KR", new IncreaseMeasure(0, 100))));
            return await s.Objectives.CreateAsync(tenant, draft).ConfigureAwait(false);
        };

        Func<OkrService, Task<object?>> ReimportStep(ObjectiveId child, ObjectiveId parent) => async s =>
        {
            var o = await s.Objectives.GetAsync(tenant, child).ConfigureAwait(false);
            var aligned = new Objective(o.Id, o.PeriodId, o.Title, o.Description, o.Owner, o.Kind, o.State, o.Visibility, o.KeyResults, [.. o.Alignments.Where(l => l.ParentObjectiveId != parent), new AlignmentLink(parent)], o.Version, o.CreatedAt, o.UpdatedAt, o.Grade, o.UpdatedBy);
            var result = await s.Transfer.ImportAsync(tenant, new Core.Serialization.OkrDocument(tenant, [], [aligned], [])).ConfigureAwait(false);
            return result.Objectives[0];
        };

        Func<OkrService, Task<object?>> CheckInStep(CheckInId id, KeyResultId kr, int value) => async s =>
            await s.CheckIns.RecordAsync(tenant, kr, value, OwnerRef.Person("p"), id: id).ConfigureAwait(false);

        Func<OkrService, Task<object?>> CorrectStep(CheckInId id, CheckInId original, int value) => async s =>
            await s.CheckIns.CorrectAsync(tenant, original, value, OwnerRef.Person("p"), "fix", id).ConfigureAwait(false);
    }
}
