using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>Any sequence of facade operations leaves the same observable state on the in-memory and the SQLite store.</summary>
public class StoreEquivalenceProperties
{
    public enum Op
    {
        NewPeriod,
        NewObjective,
        Activate,
        CheckIn,
        Correct,
        Rename,
        Align,
        Cancel,
        ClosePeriod,
    }

    private static readonly Gen<(Op Op, int A, int B, int Value)> Step =
        from op in Gen.Frequency(
            (1, Gen.Constant(Op.NewPeriod)), (3, Gen.Constant(Op.NewObjective)), (3, Gen.Constant(Op.Activate)), (6, Gen.Constant(Op.CheckIn)),
            (2, Gen.Constant(Op.Correct)), (1, Gen.Constant(Op.Rename)), (2, Gen.Constant(Op.Align)), (1, Gen.Constant(Op.Cancel)), (1, Gen.Constant(Op.ClosePeriod)))
        from a in Gen.Choose(0, 1000)
        from b in Gen.Choose(0, 1000)
        from value in Gen.Choose(-50, 250)
        select (op, a, b, value);

    [Property(MaxTest = 25)]
    public Property In_memory_and_sqlite_stores_end_in_the_same_state() =>
        Prop.ForAll(Step.ListOf().Select(l => l.Take(40).ToList()).ToArbitrary(), steps => Run(steps).GetAwaiter().GetResult().Same);

    /// <summary>A scripted quarter, so the property is known to reach real data: both stores end equal and non-empty.</summary>
    [Fact]
    public async Task A_scripted_quarter_ends_the_same_on_both_stores()
    {
        var script = new List<(Op, int, int, int)>
        {
            (Op.NewPeriod, 0, 0, 0), (Op.NewObjective, 0, 0, 0), (Op.NewObjective, 0, 0, 0), (Op.Activate, 0, 0, 0), (Op.Activate, 1, 0, 0),
            (Op.Align, 1, 0, 0), (Op.Align, 0, 1, 0), (Op.CheckIn, 0, 0, 40), (Op.CheckIn, 1, 2, 90), (Op.Correct, 0, 0, 45),
            (Op.Rename, 1, 0, 7), (Op.ClosePeriod, 0, 0, 0), (Op.CheckIn, 0, 1, 50),
        };
        var (same, objectives, checkIns, closed) = await Run(script);
        Assert.True(same);
        Assert.Equal((2, 3, 2), (objectives, checkIns, closed));
    }

    private static async Task<(bool Same, int Objectives, int CheckIns, int Closed)> Run(List<(Op Op, int A, int B, int Value)> steps)
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 5, 9, 0));
        var tenant = new TenantId(Guid.NewGuid());
        var services = new[] { new OkrService(new InMemoryOkrStore(), clock), new OkrService(new SqliteOkrStore(TempDatabase.NewConnectionString()), clock) };
        var periods = new List<PeriodId>();
        var objectives = new List<Objective>();
        var checkIns = new List<CheckInId>();
        var serial = 0;
        Guid Next() => Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddMilliseconds(++serial));

        foreach (var (op, a, b, value) in steps)
        {
            clock.Advance(Duration.FromHours(7));
            Func<OkrService, Task>? action = op switch
            {
                Op.NewPeriod => PeriodStep(new PeriodId(Next()), periods.Count),
                Op.NewObjective when periods.Count > 0 => ObjectiveStep(new ObjectiveId(Next()), periods[a % periods.Count], [new KeyResultId(Next()), new KeyResultId(Next()), new KeyResultId(Next())]),
                Op.Activate when objectives.Count > 0 => s => s.Objectives.ActivateAsync(tenant, objectives[a % objectives.Count].Id).AsTask(),
                Op.CheckIn when objectives.Count > 0 => CheckInStep(new CheckInId(Next()), objectives[a % objectives.Count].KeyResults[b % 3].Id, value),
                Op.Correct when checkIns.Count > 0 => CorrectStep(new CheckInId(Next()), checkIns[a % checkIns.Count], value),
                Op.Rename when objectives.Count > 0 => s => s.Objectives.EditAsync(tenant, objectives[a % objectives.Count].Id, (o, c) => o.WithTitle($"Renamed {value}", c)).AsTask(),
                Op.Align when objectives.Count > 1 => s => s.Objectives.AlignAsync(tenant, objectives[a % objectives.Count].Id, new AlignmentLink(objectives[b % objectives.Count].Id, weight: 1 + (value & 3))).AsTask(),
                Op.Cancel when objectives.Count > 0 => s => s.Objectives.CancelAsync(tenant, objectives[a % objectives.Count].Id).AsTask(),
                Op.ClosePeriod when periods.Count > 0 => s => s.Periods.CloseAsync(tenant, periods[a % periods.Count]).AsTask(),
                _ => null,
            };

            if (action is null)
            {
                continue;
            }

            var outcomes = new List<string>();
            foreach (var service in services)
            {
                try
                {
                    await action(service);
                    outcomes.Add("ok");
                }
                catch (OkrException ex)
                {
                    outcomes.Add(ex.GetType().Name + ":" + string.Join(",", (ex as OkrValidationException)?.Violations.Select(v => v.Code) ?? []));
                }
            }

            if (outcomes[0] != outcomes[1])
            {
                throw new InvalidOperationException($"{op}: in-memory {outcomes[0]}, SQLite {outcomes[1]}");
            }
        }

        var (memory, sqlite) = (await services[0].Store.ExportAsync(tenant), await services[1].Store.ExportAsync(tenant));
        var same = memory.Periods.SequenceEqual(sqlite.Periods)
            && memory.Objectives.OrderBy(o => o.Id).SequenceEqual(sqlite.Objectives.OrderBy(o => o.Id))
            && memory.CheckIns.SequenceEqual(sqlite.CheckIns);
        return (same, sqlite.Objectives.Count, sqlite.CheckIns.Count, sqlite.Objectives.Count(o => o.State == ObjectiveState.Closed));

        Func<OkrService, Task> PeriodStep(PeriodId id, int n) => async s =>
        {
            await s.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(id, 2026, 1 + (n % 4)));
            await s.Periods.ActivateAsync(tenant, id);
            if (s == services[1])
            {
                periods.Add(id);
            }
        };

        Func<OkrService, Task> ObjectiveStep(ObjectiveId id, PeriodId period, KeyResultId[] krs) => async s =>
        {
            var draft = Objective.Create(id, period, "Objective", OwnerRef.Team("team"), clock, keyResults: krs.Select(k => new KeyResult(k, "KR", new IncreaseMeasure(0, 100))));
            var stored = await s.Objectives.CreateAsync(tenant, draft);
            if (s == services[1])
            {
                objectives.Add(stored);
            }
        };

        Func<OkrService, Task> CheckInStep(CheckInId id, KeyResultId kr, int value) => async s =>
        {
            await s.CheckIns.RecordAsync(tenant, kr, value, OwnerRef.Person("p"), id: id);
            if (s == services[1])
            {
                checkIns.Add(id);
            }
        };

        Func<OkrService, Task> CorrectStep(CheckInId id, CheckInId original, int value) => async s =>
        {
            await s.CheckIns.CorrectAsync(tenant, original, value, OwnerRef.Person("p"), "fix", id);
            if (s == services[1])
            {
                checkIns.Add(id);
            }
        };
    }
}
