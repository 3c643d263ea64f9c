using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;
using NodaTime.Testing;
using Okr.Core.Access;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>Imports through the facade: every rule checked on the whole document first, then one atomic write.</summary>
public class TransferTests
{
    private static readonly Instant Now = TestData.Start + Duration.FromDays(30);

    private readonly FakeClock _clock = new(Now);
    private readonly InMemoryOkrStore _store = new();
    private readonly TenantId _tenant = new(Guid.NewGuid());
    private readonly OkrService _okr;

    public TransferTests() => _okr = new OkrService(_store, _clock);

    private static Objective NewObjective(PeriodId period, string title, ObjectiveState state = ObjectiveState.Active, int keyResults = 3, params AlignmentLink[] links) =>
        new(new ObjectiveId(Guid.NewGuid()), period, title, "", TestData.Alice, ObjectiveKind.Committed, state, Visibility.Public, TestData.Krs(keyResults), links, 0, TestData.Start, TestData.Start, state == ObjectiveState.Closed ? FinalGrade.FromComputed(0.5) : null);

    private static CheckIn NewCheckIn(KeyResultId kr, decimal value, int day = 1, CheckInId? id = null) =>
        new(id ?? new CheckInId(Guid.NewGuid()), kr, value, TestData.Alice, TestData.Start + Duration.FromDays(day), TestData.Start + Duration.FromDays(day));

    [Fact]
    public async Task Every_violation_of_a_document_is_reported_at_once_with_its_path_and_nothing_is_written()
    {
        var period = TestData.Quarter();
        var stored = NewObjective(period.Id, "Stored");
        await _okr.Transfer.ImportAsync(_tenant, new OkrDocument(_tenant, [period], [stored], []));
        var before = OkrJson.Serialize(await _store.ExportAsync(_tenant));

        var thin = NewObjective(period.Id, "Only one key result", keyResults: 1);
        var dangling = NewObjective(period.Id, "Dangling", links: new AlignmentLink(new ObjectiveId(Guid.NewGuid())));
        var elsewhere = NewObjective(new PeriodId(Guid.NewGuid()), "No such period");
        var milestone = new Objective(new ObjectiveId(Guid.NewGuid()), period.Id, "Ship", "", TestData.Alice, ObjectiveKind.Committed, ObjectiveState.Active, Visibility.Public, [TestData.Kr("Shipped", new MilestoneMeasure()), .. TestData.Krs(2)], [], 0, TestData.Start, TestData.Start, null);
        var document = new OkrDocument(
            _tenant,
            [],
            [thin, dangling, elsewhere, milestone, thin],
            [NewCheckIn(new KeyResultId(Guid.NewGuid()), 1), NewCheckIn(milestone.KeyResults[0].Id, 5), new CheckIn(new CheckInId(Guid.NewGuid()), stored.KeyResults[0].Id, 1, TestData.Alice, Now, Now + Duration.FromDays(1))]);

        var ex = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Transfer.ImportAsync(_tenant, document).AsTask());
        var found = ex.Violations.Select(v => (v.Code, v.Member)).ToHashSet();
        Assert.Contains((OkrErrorCodes.DuplicateId, "$.objectives[4].id"), found);
        Assert.Contains((OkrErrorCodes.AlignmentTargetMissing, "$.objectives[1].alignments[0].parentObjectiveId"), found);
        Assert.Contains((OkrErrorCodes.KeyResultCount, "$.objectives[0].keyResults"), found);
        Assert.Contains((OkrErrorCodes.Mismatch, "$.objectives[2].periodId"), found);
        Assert.Contains((OkrErrorCodes.Mismatch, "$.checkIns[0].keyResultId"), found);
        Assert.Contains((OkrErrorCodes.InvalidValue, "$.checkIns[1].value"), found);
        Assert.Contains((OkrErrorCodes.OutOfRange, "$.checkIns[2].recordedAt"), found);
        Assert.Equal(before, OkrJson.Serialize(await _store.ExportAsync(_tenant)));
    }

    [Fact]
    public async Task A_cycle_through_stored_objectives_is_refused()
    {
        var period = TestData.Quarter();
        var parent = NewObjective(period.Id, "Parent");
        var child = NewObjective(period.Id, "Child", links: new AlignmentLink(parent.Id));
        await _okr.Transfer.ImportAsync(_tenant, new OkrDocument(_tenant, [period], [parent, child], []));
        var closing = new Objective(parent.Id, period.Id, "Parent", "", TestData.Alice, ObjectiveKind.Committed, ObjectiveState.Active, Visibility.Public, parent.KeyResults, [new AlignmentLink(child.Id)], 0, TestData.Start, TestData.Start, null);
        var ex = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Transfer.ImportAsync(_tenant, new OkrDocument(_tenant, [], [closing], [])).AsTask());
        Assert.Equal(OkrErrorCodes.AlignmentCycle, Assert.Single(ex.Violations).Code);
        Assert.Empty((await _store.GetObjectiveAsync(_tenant, parent.Id))!.Alignments);
    }

    [Fact]
    public async Task History_imports_closed_periods_with_graded_objectives_and_their_check_ins()
    {
        var closed = TestData.Quarter(PeriodState.Closed);
        var graded = NewObjective(closed.Id, "Done", ObjectiveState.Closed);
        var checkIn = NewCheckIn(graded.KeyResults[0].Id, 150);
        var result = await _okr.Transfer.ImportAsync(_tenant, new OkrDocument(_tenant, [closed], [graded], [checkIn]));
        Assert.Equal((1, 1, 1), (result.Periods.Count, result.Objectives.Count, result.CheckInsAdded));
        Assert.Equal(graded.WithVersion(1), await _store.GetObjectiveAsync(_tenant, graded.Id));
        Assert.Equal(closed.WithVersion(1), await _store.GetPeriodAsync(_tenant, closed.Id));

        // Importing it again replaces over the stored versions.
        var again = await _okr.Transfer.ImportAsync(_tenant, new OkrDocument(_tenant, [closed], [graded], [checkIn]));
        Assert.Equal((2L, 0), (again.Objectives[0].Version, again.CheckInsAdded));
    }

    [Fact]
    public async Task An_export_is_stamped_with_the_service_clock_and_the_stamp_reads_back()
    {
        var period = TestData.Quarter();
        var okr = new OkrService(_store, _clock);
        await okr.Transfer.ImportAsync(_tenant, new OkrDocument(_tenant, [period], [NewObjective(period.Id, "X")], []));
        var exported = await okr.Transfer.ExportAsync(_tenant);
        Assert.Equal(_clock.GetCurrentInstant(), exported.ExportedAt);
        var json = OkrJson.Serialize(exported);
        using (var parsed = System.Text.Json.JsonDocument.Parse(json))
        {
            Assert.Equal(InstantPattern.ExtendedIso.Format(_clock.GetCurrentInstant()), parsed.RootElement.GetProperty("exportedAt").GetString());
        }

        Assert.Equal(exported.ExportedAt, OkrJson.Deserialize(json).ExportedAt);
        Assert.Null((await _store.ExportAsync(_tenant)).ExportedAt);
    }

    [Fact]
    public async Task Importing_and_exporting_ask_the_access_policy()
    {
        var period = TestData.Quarter();
        var document = new OkrDocument(_tenant, [period], [NewObjective(period.Id, "X")], []);
        var policy = new Policy();
        var okr = new OkrService(_store, _clock, new OkrServiceOptions { AccessPolicy = policy }).As(OwnerRef.Person("bob"));
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => okr.Transfer.ImportAsync(_tenant, document).AsTask());
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => okr.Transfer.ExportAsync(_tenant).AsTask());
        Assert.Empty((await _store.ExportAsync(_tenant)).Objectives);
        policy.ManagesPeriods = true;   // the default of CanTransferAsync
        await okr.Transfer.ImportAsync(_tenant, document);
        Assert.Single((await okr.Transfer.ExportAsync(_tenant, period.Id)).Objectives);
    }

    /// <summary>Random documents, valid and broken: a rejected one leaves every tenant as it was; an accepted one reads back as given.</summary>
    /// <returns>The property.</returns>
    [Property(MaxTest = 150)]
    public Property A_rejected_import_changes_nothing_and_an_accepted_one_round_trips() =>
        Prop.ForAll(Documents.ToArbitrary(), sample =>
        {
            var (build, broken) = sample;
            var store = new InMemoryOkrStore();
            var okr = new OkrService(store, new FakeClock(Now));
            var a = new TenantId(Guid.NewGuid());
            var b = new TenantId(Guid.NewGuid());
            var seedPeriod = TestData.Quarter();
            var seed = NewObjective(seedPeriod.Id, "Seed");
            foreach (var t in new[] { a, b })
            {
                okr.Transfer.ImportAsync(t, new OkrDocument(t, [seedPeriod], [seed], [NewCheckIn(seed.KeyResults[0].Id, 10)])).AsTask().GetAwaiter().GetResult();
            }

            var document = build(a, seed);
            var before = (OkrJson.Serialize(store.ExportAsync(a).AsTask().GetAwaiter().GetResult()), OkrJson.Serialize(store.ExportAsync(b).AsTask().GetAwaiter().GetResult()));
            var error = Record.Exception(() => okr.Transfer.ImportAsync(a, document).AsTask().GetAwaiter().GetResult());
            if (broken is not null)
            {
                var rejected = Assert.IsType<OkrValidationException>(error);
                Assert.All(rejected.Violations, v => Assert.StartsWith("$.", v.Member, StringComparison.Ordinal));
                Assert.Equal(before, (OkrJson.Serialize(store.ExportAsync(a).AsTask().GetAwaiter().GetResult()), OkrJson.Serialize(store.ExportAsync(b).AsTask().GetAwaiter().GetResult())));
                return;
            }

            Assert.Null(error);
            foreach (var p in document.Periods)
            {
                Assert.Equal(p.WithVersion(1), store.GetPeriodAsync(a, p.Id).AsTask().GetAwaiter().GetResult());
            }

            foreach (var o in document.Objectives)
            {
                Assert.Equal(o.WithVersion(1), store.GetObjectiveAsync(a, o.Id).AsTask().GetAwaiter().GetResult());
            }

            foreach (var c in document.CheckIns)
            {
                Assert.Equal(c, store.GetCheckInAsync(a, c.Id).AsTask().GetAwaiter().GetResult());
            }

            Assert.Equal(before.Item2, OkrJson.Serialize(store.ExportAsync(b).AsTask().GetAwaiter().GetResult()));
        });

    /// <summary>
    /// A document builder (given the tenant and an objective already stored there) and how it is broken, if at all:
    /// one period, objectives in every state with 3–5 key results, links to earlier objectives or to the stored one,
    /// check-ins; then, sometimes, one kind of damage.
    /// </summary>
    private static Gen<(Func<TenantId, Objective, OkrDocument> Build, string? Broken)> Documents { get; } =
        from state in Gen.Elements(PeriodState.Planning, PeriodState.Active, PeriodState.Closed)
        from shapes in Gen.Choose(3, 5).Zip(Gen.Elements(ObjectiveState.Draft, ObjectiveState.Active, ObjectiveState.Closed, ObjectiveState.Cancelled)).Zip(Gen.Choose(-2, 6)).NonEmptyListOf().Select(l => l.Take(6).ToList())
        from values in Gen.Choose(0, 150).Zip(Gen.Choose(0, 20)).ListOf().Select(l => l.Take(8).ToList())
        from broken in Gen.Elements<string?>(null, null, null, "cycle", "dangling link", "objective twice", "one key result", "unknown key result", "recorded in the future", "period twice")
        select ((Func<TenantId, Objective, OkrDocument>)((tenant, stored) => Build(tenant, stored, state, shapes, values, broken)), broken);

    private static OkrDocument Build(TenantId tenant, Objective stored, PeriodState state, List<((int KeyResults, ObjectiveState State) Shape, int Link)> shapes, List<(int Value, int Day)> values, string? broken)
    {
        var period = new OkrPeriod(new PeriodId(Guid.NewGuid()), "Imported", new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)), state);
        var objectives = new List<Objective>();
        foreach (var ((krs, objectiveState), link) in shapes)
        {
            // A link to an earlier objective of the document, to the stored one (-1), or none.
            AlignmentLink[] links = link == -1 ? [new AlignmentLink(stored.Id, stored.KeyResults[0].Id)] : link >= 0 && link < objectives.Count ? [new AlignmentLink(objectives[link].Id)] : [];
            objectives.Add(NewObjective(period.Id, $"Objective {objectives.Count}", objectiveState, krs, links));
        }

        var keyResults = objectives.SelectMany(o => o.KeyResults).ToList();
        var checkIns = values.Select((v, i) => NewCheckIn(keyResults[i % keyResults.Count].Id, v.Value, v.Day)).ToList();
        var periods = new List<OkrPeriod> { period };
        switch (broken)
        {
            case "cycle" when objectives.Count >= 2:
                objectives[0] = With(objectives[0], [new AlignmentLink(objectives[^1].Id)]);
                objectives[^1] = With(objectives[^1], [new AlignmentLink(objectives[0].Id)]);
                break;
            case "cycle":
            case "dangling link":
                objectives[0] = With(objectives[0], [new AlignmentLink(new ObjectiveId(Guid.NewGuid()))]);
                break;
            case "objective twice":
                objectives.Add(objectives[0]);
                break;
            case "one key result":
                objectives.Add(NewObjective(period.Id, "Thin", ObjectiveState.Active, 1));
                break;
            case "unknown key result":
                checkIns.Add(NewCheckIn(new KeyResultId(Guid.NewGuid()), 1));
                break;
            case "recorded in the future":
                checkIns.Add(new CheckIn(new CheckInId(Guid.NewGuid()), keyResults[0].Id, 1, TestData.Alice, Now, Now + Duration.FromSeconds(1)));
                break;
            case "period twice":
                periods.Add(period);
                break;
        }

        return new OkrDocument(tenant, periods, objectives, checkIns);
    }

    private static Objective With(Objective o, AlignmentLink[] links) =>
        new(o.Id, o.PeriodId, o.Title, o.Description, o.Owner, o.Kind, o.State, o.Visibility, o.KeyResults, links, o.Version, o.CreatedAt, o.UpdatedAt, o.Grade);

    private sealed class Policy : IOkrAccessPolicy
    {
        public bool ManagesPeriods { get; set; }

        public ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(OkrRelation.Owner);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(ManagesPeriods);
    }
}
