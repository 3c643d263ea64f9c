using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>Participation against a brute-force count (issue 19, item 5).</summary>
public class ParticipationProperties
{
    private static readonly OwnerRef[] Pool = [OwnerRef.Team("sales"), OwnerRef.Team("support"), OwnerRef.Person("E1"), OwnerRef.Person("E2"), OwnerRef.OrganizationUnit("emea"), OwnerRef.Person("E3")];
    private static readonly OkrPeriod Quarter = new(new PeriodId(Guid.Parse("0192f0a1-0000-7000-8000-0000000000a1")), "2026-Q2", new DateInterval(new LocalDate(2026, 4, 1), new LocalDate(2026, 6, 30)), PeriodState.Active);
    private static readonly Instant Start = Instant.FromUtc(2026, 4, 1, 0, 0);

    private static readonly Gen<KeyResult> KeyResults =
        from owner in Gen.OneOf(Gen.Constant<OwnerRef?>(null), Gen.Elements(Pool).Select(o => (OwnerRef?)o))
        from cancelled in Gen.Elements(false, false, false, true)
        from aligned in Gen.Elements(false, false, false, false, true)
        select new KeyResult(new KeyResultId(Guid.NewGuid()), "KR", new IncreaseMeasure(0, 100), 1, owner, aligned ? ProgressSource.FromAlignedObjectives : ProgressSource.Measured, cancelled);

    private static readonly Gen<Objective> Objectives =
        from owner in Gen.Elements(Pool)
        from state in Gen.Elements(ObjectiveState.Draft, ObjectiveState.Active, ObjectiveState.Active, ObjectiveState.Cancelled)
        from krs in KeyResults.ArrayOf(3)
        select new Objective(new ObjectiveId(Guid.NewGuid()), Quarter.Id, "O", string.Empty, owner, ObjectiveKind.Committed, state, Visibility.Public, krs, [], 1, Start, Start, null);

    private static readonly Gen<(List<Objective> Objectives, List<CheckIn> CheckIns, Instant Now, OwnerRef[] Asked, ParticipationOptions Options)> Cases =
        from objectives in Objectives.ListOf().Select(l => l.Take(8).ToList())
        from minutes in Gen.Choose(-5 * 1440, 100 * 1440).ListOf().Select(l => l.Take(30).ToList())
        from picks in Gen.Choose(0, 1000).ListOf().Select(l => l.ToList())
        from now in Gen.Choose(-2 * 1440, 110 * 1440).Select(m => Start + Duration.FromMinutes(m))
        from asked in Gen.SubListOf(Pool).Select(l => l.ToArray())
        from silent in Gen.Elements(1, 7, 14, 30)
        from cadence in Gen.Elements(1, 7, 14, 31)
        let krs = objectives.SelectMany(o => o.KeyResults).ToList()
        let checkIns = krs.Count == 0 ? [] : minutes.Select((m, i) => Start + Duration.FromMinutes(m) is var at
            ? new CheckIn(new CheckInId(Guid.NewGuid()), krs[(picks.Count > i ? picks[i] : i) % krs.Count].Id, 1, OwnerRef.Person("author"), at, at)
            : null!).ToList()
        select (objectives, checkIns, now, asked, new ParticipationOptions { SilentAfter = Duration.FromDays(silent), Cadence = Duration.FromDays(cadence) });

    /// <summary>Every answer equals a count made the slow way, owner by owner, window by window.</summary>
    /// <returns>The property.</returns>
    [Property(MaxTest = 200)]
    public Property Participation_equals_a_brute_force_count() =>
        Prop.ForAll(Cases.ToArbitrary(), input =>
        {
            var (objectives, checkIns, now, asked, options) = input;
            var tenant = new TenantId(Guid.NewGuid());
            var store = new InMemoryOkrStore();
            store.ImportAsync(tenant, new OkrDocument(tenant, [Quarter], objectives, checkIns)).AsTask().GetAwaiter().GetResult();
            var okr = new OkrService(store, new FakeClock(now));

            var actual = okr.Progress.ParticipationAsync(tenant, Quarter.Id, asked, options).AsTask().GetAwaiter().GetResult();

            var end = Instant.FromUtc(2026, 7, 1, 0, 0);
            Assert.Equal(asked, actual.Owners.Select(o => o.Owner));
            foreach (var answer in actual.Owners)
            {
                var owner = answer.Owner;
                var live = objectives.Where(o => o.State != ObjectiveState.Cancelled).ToList();
                var mine = live.SelectMany(o => o.KeyResults.Where(k => (k.Owner ?? o.Owner) == owner).Select(k => (Objective: o, KeyResult: k))).ToList();
                var owed = mine.Count(m => m.Objective.State == ObjectiveState.Active && !m.KeyResult.IsCancelled && m.KeyResult.ProgressSource == ProgressSource.Measured);
                var recorded = checkIns.Where(c => mine.Any(m => m.KeyResult.Id == c.KeyResultId) && c.RecordedAt <= now).Select(c => c.RecordedAt).ToList();
                Instant? last = recorded.Count == 0 ? null : recorded.Max();
                var windows = 0;
                var withCheckIn = 0;
                for (var k = 0; Start + (options.Cadence * (k + 1)) <= (now < end ? now : end); k++)
                {
                    windows++;
                    var (from, to) = (Start + (options.Cadence * k), Start + (options.Cadence * (k + 1)));
                    withCheckIn += recorded.Any(r => r >= from && r < to) ? 1 : 0;
                }

                Assert.Equal(live.Count(o => o.Owner == owner), answer.Objectives);
                Assert.Equal(owed, answer.KeyResultsOwed);
                Assert.Equal(last, answer.LastCheckIn);
                Assert.Equal(owed > 0 && (last is null || now - last.Value >= options.SilentAfter), answer.IsSilent);
                Assert.Equal(owed == 0 ? (0, 0) : (windows, withCheckIn), (answer.Windows, answer.WindowsWithCheckIn));
                Assert.Equal(owed == 0 || windows == 0 ? null : (double)withCheckIn / windows, answer.CheckInRate);
                Assert.Equal(answer.Objectives == 0, actual.WithoutObjectives.Contains(owner));
                Assert.Equal(answer.IsSilent, actual.Silent.Contains(owner));
            }

            return true;
        });

    [Fact]
    public async Task Bad_options_and_empty_owners_are_refused_by_name()
    {
        var okr = new OkrService(new InMemoryOkrStore(), new FakeClock(Start));
        var tenant = new TenantId(Guid.NewGuid());
        await okr.Periods.CreateAsync(tenant, Quarter.WithVersion(0));
        var tooLong = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Progress.ParticipationAsync(tenant, Quarter.Id, [Pool[0]], new ParticipationOptions { Cadence = Duration.FromDays(400), SilentAfter = Duration.FromHours(1) }));
        Assert.Equal(["SilentAfter", "Cadence"], tooLong.Violations.Select(v => v.Member));
        var empty = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Progress.ParticipationAsync(tenant, Quarter.Id, [Pool[0], default]));
        Assert.Equal("owners[1]", empty.Violations[0].Member);
        await Assert.ThrowsAsync<OkrNotFoundException>(async () => await okr.Progress.ParticipationAsync(tenant, new PeriodId(Guid.NewGuid()), [Pool[0]]));
    }

    /// <summary>An objective the acting person may not read counts for nothing: not as an objective, not as check-ins owed or made.</summary>
    [Fact]
    public async Task Hidden_objectives_are_left_out_as_if_they_did_not_exist()
    {
        var tenant = new TenantId(Guid.NewGuid());
        var store = new InMemoryOkrStore();
        var (sales, support) = (Pool[0], Pool[1]);
        KeyResult Kr() => new(new KeyResultId(Guid.NewGuid()), "KR", new IncreaseMeasure(0, 100));
        Objective Of(OwnerRef owner, Visibility visibility) => new(new ObjectiveId(Guid.NewGuid()), Quarter.Id, "O", string.Empty, owner, ObjectiveKind.Committed, ObjectiveState.Active, visibility, [Kr(), Kr(), Kr()], [], 1, Start, Start, null);
        var (open, secret) = (Of(sales, Visibility.Public), Of(support, Visibility.Private));
        var checkIn = new CheckIn(new CheckInId(Guid.NewGuid()), secret.KeyResults[0].Id, 5, support, Start + Duration.FromDays(2), Start + Duration.FromDays(2));
        await store.ImportAsync(tenant, new OkrDocument(tenant, [Quarter], [open, secret], [checkIn]));
        var options = new OkrServiceOptions { AccessPolicy = new OwnersOnly() };
        var now = new FakeClock(Start + Duration.FromDays(20));

        var asSales = await new OkrService(store, now, options).As(sales).Progress.ParticipationAsync(tenant, Quarter.Id, [sales, support]);
        Assert.Equal([support], asSales.WithoutObjectives);
        Assert.Equal((0, 0, (Instant?)null), (asSales.Owners[1].Objectives, asSales.Owners[1].KeyResultsOwed, asSales.Owners[1].LastCheckIn));
        var asSupport = await new OkrService(store, now, options).As(support).Progress.ParticipationAsync(tenant, Quarter.Id, [sales, support]);
        Assert.Equal((1, 3, (Instant?)checkIn.RecordedAt), (asSupport.Owners[1].Objectives, asSupport.Owners[1].KeyResultsOwed, asSupport.Owners[1].LastCheckIn));
    }

    private sealed class OwnersOnly : Okr.Core.Access.IOkrAccessPolicy
    {
        public ValueTask<Okr.Core.Access.OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) =>
            ValueTask.FromResult(actor == owner ? Okr.Core.Access.OkrRelation.Owner : Okr.Core.Access.OkrRelation.None);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(actor == owner);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }
}
