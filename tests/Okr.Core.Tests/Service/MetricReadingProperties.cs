using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>
/// <see cref="OkrCheckIns.RecordFromSourceAsync"/> against a brute-force replay: random readings (set and add, on two
/// bound key results, at a handful of instants) arrive repeated and in any order; each outcome, and the check-ins the
/// store ends up with, are what replaying the arrivals by the documented rules says.
/// </summary>
public class MetricReadingProperties
{
    private static readonly Instant First = Instant.FromUtc(2026, 1, 10, 12, 0);
    private static readonly OwnerRef Crm = OwnerRef.Person("svc-crm");

    [Property(MaxTest = 150)]
    public Property Readings_in_any_order_and_repeated_yield_the_check_ins_of_a_replay() =>
        Prop.ForAll(Gen.Choose(1, 12).SelectMany(n => Gen.ListOf(Reading, n)).Zip(Gen.Choose(0, int.MaxValue)).ToArbitrary(), input =>
        {
            var (readings, seed) = input;
            var random = new Random(seed);
            var arrivals = readings.Concat(readings.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();

            var (okr, tenant, krs) = World();
            var outcomes = arrivals.Select(a => okr.CheckIns.RecordFromSourceAsync(tenant, a.For(krs), Crm).AsTask().GetAwaiter().GetResult()).ToList();

            // The replay: a reading seen before is a duplicate; one not after the newest accepted for its key result is
            // older; otherwise it is recorded, adding to the last accepted value (or the baseline) when it adds.
            var seen = new Dictionary<(int, Instant), decimal>();
            var newest = new Dictionary<int, (Instant At, decimal Value)>();
            var expected = new List<string>();
            foreach (var a in arrivals)
            {
                if (seen.TryGetValue((a.Kr, a.At), out var stored))
                {
                    expected.Add($"Duplicate {stored}");
                    continue;
                }

                if (newest.TryGetValue(a.Kr, out var last) && a.At <= last.At)
                {
                    expected.Add("Older");
                    continue;
                }

                var value = a.Add ? (newest.TryGetValue(a.Kr, out var before) ? before.Value : Baselines[a.Kr]) + a.Value : a.Value;
                seen[(a.Kr, a.At)] = value;
                newest[a.Kr] = (a.At, value);
                expected.Add($"Recorded {value}");
            }

            Assert.Equal(expected, outcomes.Select(o => o.CheckIn is { } c ? $"{o.Outcome} {c.Value}" : o.Outcome.ToString()));
            var histories = okr.CheckIns.HistoriesAsync(tenant, krs).AsTask().GetAwaiter().GetResult();
            Assert.Equal(
                seen.Select(x => $"{x.Key.Item1} {x.Key.Item2} {x.Value}").Order(StringComparer.Ordinal),
                histories.SelectMany(h => h.Value.Select(c => $"{Array.IndexOf(krs, c.KeyResultId)} {c.EffectiveAt} {c.Value}")).Order(StringComparer.Ordinal));
            Assert.All(histories.Values.SelectMany(h => h), c => Assert.Equal((Crm, false), (c.Author, c.IsCorrection)));
            return true;
        });

    [Fact]
    public async Task An_added_amount_reads_again_five_times_then_gives_up_when_every_commit_loses()
    {
        var (okr, tenant, krs, store) = WorldWithStore();
        var losing = new LosingStore(store);
        var reading = new MetricReading(krs[1], "crm", "deals", First, 3m, MetricReadingMode.Add);
        await Assert.ThrowsAsync<OkrConcurrencyException>(async () => await new OkrService(losing, new FakeClock(Instant.FromUtc(2026, 2, 28, 12, 0))).CheckIns.RecordFromSourceAsync(tenant, reading, Crm));
        Assert.Equal(5, losing.Commits);
        Assert.Empty((await okr.CheckIns.HistoriesAsync(tenant, krs)).Values.SelectMany(h => h));
    }

    /// <summary>Every commit loses a race, as if another instance always wrote first.</summary>
    private sealed class LosingStore(IOkrStore inner) : Okr.Storage.Specification.DelegatingOkrStore(inner)
    {
        public int Commits { get; private set; }

        public override ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
        {
            Commits++;
            throw new OkrConcurrencyException("Another instance wrote first.", 0, null);
        }
    }

    private static readonly decimal[] Baselines = [100m, 0m];

    private sealed record Arrival(int Kr, Instant At, decimal Value, bool Add)
    {
        public MetricReading For(KeyResultId[] krs) => new(krs[Kr], "crm", Kr == 0 ? "pipeline" : "deals", At, Value, Add ? MetricReadingMode.Add : MetricReadingMode.Set);
    }

    private static readonly Gen<Arrival> Reading =
        from kr in Gen.Choose(0, 1)
        from day in Gen.Choose(0, 5)
        from value in Gen.Choose(-50, 300)
        from add in Gen.Elements(false, true)
        select new Arrival(kr, First + Duration.FromDays(day), value, add);

    private static (OkrService Okr, TenantId Tenant, KeyResultId[] KeyResults) World()
    {
        var (okr, tenant, krs, _) = WorldWithStore();
        return (okr, tenant, krs);
    }

    private static (OkrService Okr, TenantId Tenant, KeyResultId[] KeyResults, IOkrStore Store) WorldWithStore()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 9, 0));
        var store = new InMemoryOkrStore();
        var okr = new OkrService(store, clock);
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1)).AsTask().GetAwaiter().GetResult();
        okr.Periods.ActivateAsync(tenant, quarter.Id).AsTask().GetAwaiter().GetResult();
        KeyResult[] krs =
        [
            new KeyResult(new KeyResultId(Guid.NewGuid()), "Pipeline", new IncreaseMeasure(100, 2000)) { Metric = new MetricBinding("crm", "pipeline") },
            new KeyResult(new KeyResultId(Guid.NewGuid()), "Deals", new IncreaseMeasure(0, 50)) { Metric = new MetricBinding("crm", "deals") },
            new KeyResult(new KeyResultId(Guid.NewGuid()), "Unbound", new IncreaseMeasure(0, 10)),
        ];
        var created = okr.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), quarter.Id, "Grow", OwnerRef.Team("sales"), clock, keyResults: krs)).AsTask().GetAwaiter().GetResult();
        okr.Objectives.ActivateAsync(tenant, created.Id).AsTask().GetAwaiter().GetResult();
        clock.Reset(Instant.FromUtc(2026, 2, 28, 12, 0));
        return (okr, tenant, [krs[0].Id, krs[1].Id], store);
    }
}
