using NodaTime;
using NodaTime.Testing;
using Okr.Core.Access;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>The facade's write path: the life cycle cannot be bypassed, authors are who they say, retries are safe, tenants are named.</summary>
public class WritePathTests
{
    private static readonly OwnerRef Alice = OwnerRef.Person("alice");
    private static readonly OwnerRef Bob = OwnerRef.Person("bob");

    private readonly FakeClock _clock = TestData.Clock();
    private readonly CountingStore _store = new(new InMemoryOkrStore());
    private readonly TenantId _tenant = new(Guid.NewGuid());
    private readonly OkrService _okr;

    public WritePathTests() => _okr = new OkrService(_store, _clock);

    private async Task<(OkrPeriod Period, Objective Objective)> ActiveObjective()
    {
        var q = await _okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1));
        q = await _okr.Periods.ActivateAsync(_tenant, q.Id);
        var o = await _okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "Grow", Alice, _clock, keyResults: TestData.Krs(3)));
        _clock.Advance(Duration.FromMinutes(1));
        return (q, await _okr.Objectives.ActivateAsync(_tenant, o.Id));
    }

    private static Objective Rebuild(Objective o, ObjectiveState? state = null, FinalGrade? grade = null, long? version = null, Instant? createdAt = null, Instant? updatedAt = null, OwnerRef? updatedBy = null) =>
        new(o.Id, o.PeriodId, o.Title, o.Description, o.Owner, o.Kind, state ?? o.State, o.Visibility, o.KeyResults, o.Alignments, version ?? o.Version, createdAt ?? o.CreatedAt, updatedAt ?? o.UpdatedAt, grade ?? o.Grade, updatedBy ?? o.UpdatedBy);

    public static TheoryData<string, string, string> Bypasses => new()
    {
        { "closed with a grade of its own", OkrErrorCodes.IllegalTransition, nameof(Objective.State) },
        { "version", OkrErrorCodes.Invalid, nameof(Objective.Version) },
        { "created at", OkrErrorCodes.Invalid, nameof(Objective.CreatedAt) },
        { "updated at in the future", OkrErrorCodes.Invalid, nameof(Objective.UpdatedAt) },
        { "updated at before the stored stamp", OkrErrorCodes.Invalid, nameof(Objective.UpdatedAt) },
        { "updated by", OkrErrorCodes.Invalid, nameof(Objective.UpdatedBy) },
    };

    [Theory]
    [MemberData(nameof(Bypasses))]
    public async Task An_edit_cannot_change_the_life_cycle_or_the_stamps_and_writes_nothing(string bypass, string code, string member)
    {
        var (_, objective) = await ActiveObjective();
        var now = _clock.GetCurrentInstant();
        Func<Objective, IClock, Objective> edit = bypass switch
        {
            "closed with a grade of its own" => (o, c) => Rebuild(o, state: ObjectiveState.Closed, grade: FinalGrade.FromComputed(1.0)),
            "version" => (o, c) => Rebuild(o, version: o.Version + 7),
            "created at" => (o, c) => Rebuild(o, createdAt: o.CreatedAt - Duration.FromDays(30)),
            "updated at in the future" => (o, c) => Rebuild(o, updatedAt: now + Duration.FromDays(30)),
            "updated at before the stored stamp" => (o, c) => Rebuild(o, updatedAt: o.CreatedAt),
            "updated by" => (o, c) => Rebuild(o, updatedBy: Bob),
            _ => throw new ArgumentOutOfRangeException(nameof(bypass)),
        };
        _clock.Advance(Duration.FromHours(1));
        var before = await _store.ExportAsync(_tenant);
        var ex = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Objectives.EditAsync(_tenant, objective.Id, edit).AsTask());
        Assert.Contains(ex.Violations, v => v.Code == code && v.Member == member);
        Assert.Equal(OkrJson.Serialize(before), OkrJson.Serialize(await _store.ExportAsync(_tenant)));
    }

    [Fact]
    public async Task A_cancelled_objective_cannot_be_edited_back_to_active()
    {
        var (_, objective) = await ActiveObjective();
        var cancelled = await _okr.Objectives.CancelAsync(_tenant, objective.Id);
        var ex = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Objectives.EditAsync(_tenant, objective.Id, (o, c) => Rebuild(o, state: ObjectiveState.Active)).AsTask());
        Assert.Contains(ex.Violations, v => v.Code == OkrErrorCodes.IllegalTransition && v.Member == nameof(Objective.State));
        Assert.Equal(cancelled, await _store.GetObjectiveAsync(_tenant, objective.Id));
    }

    [Fact]
    public async Task An_ordinary_edit_is_stamped_by_the_facade_with_the_clock_and_the_actor()
    {
        var (_, objective) = await ActiveObjective();
        _clock.Advance(Duration.FromHours(2));
        var edited = await _okr.As(Alice).Objectives.EditAsync(_tenant, objective.Id, (o, c) => o.WithTitle("Grow faster", c), objective.Version);
        Assert.Equal((objective.Version + 1, _clock.GetCurrentInstant(), (OwnerRef?)Alice), (edited.Version, edited.UpdatedAt, edited.UpdatedBy));
        Assert.Equal(objective.CreatedAt, edited.CreatedAt);
    }

    [Fact]
    public async Task Creating_a_period_creates_only()
    {
        var q = await _okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1));
        Assert.Equal(1, q.Version);
        var again = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(q.Id, 2026, 2)).AsTask());
        Assert.Equal(OkrErrorCodes.DuplicateId, Assert.Single(again.Violations).Code);
        var versioned = await Assert.ThrowsAsync<OkrValidationException>(() => _okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 2).WithVersion(3)).AsTask());
        Assert.Equal(OkrErrorCodes.Invalid, Assert.Single(versioned.Violations).Code);
        Assert.Equal(q, await _store.GetPeriodAsync(_tenant, q.Id));
        Assert.Single(await _store.ListPeriodsAsync(_tenant).ToListAsync());
    }

    [Fact]
    public async Task Closing_a_period_is_one_commit_of_the_period_and_every_grade()
    {
        var (period, _) = await ActiveObjective();
        for (var i = 0; i < 4; i++)
        {
            var o = await _okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), period.Id, $"More {i}", Alice, _clock, keyResults: TestData.Krs(3)));
            await _okr.Objectives.ActivateAsync(_tenant, o.Id);
        }

        var commits = _store.Commits;
        var result = await _okr.Periods.CloseAsync(_tenant, period.Id);
        Assert.Equal(commits + 1, _store.Commits);
        Assert.Equal(5, result.Objectives.Count);
        Assert.Equal(6, _store.LastCommit!.Periods.Count + _store.LastCommit.Objectives.Count);
        Assert.All(await _store.ListObjectivesAsync(_tenant, new ObjectiveQuery { Period = period.Id }).ToListAsync(), o => Assert.Equal(ObjectiveState.Closed, o.State));
    }

    [Fact]
    public async Task Under_an_actor_a_check_in_is_the_actors_unless_the_policy_lets_them_record_for_another()
    {
        var (_, objective) = await ActiveObjective();
        var kr = objective.KeyResults[0].Id;
        var policy = new Policy();
        var okr = new OkrService(_store, _clock, new OkrServiceOptions { AccessPolicy = policy });
        var denied = await Assert.ThrowsAsync<OkrAccessDeniedException>(() => okr.As(Alice).CheckIns.RecordAsync(_tenant, kr, 1m, Bob).AsTask());
        Assert.DoesNotContain("Private", denied.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.GetHistoryAsync(_tenant, kr).ToListAsync());
        Assert.Equal((Alice, Bob), Assert.Single(policy.Asked));

        // Without any policy, As(actor) still binds the author to the actor.
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => _okr.As(Alice).CheckIns.RecordAsync(_tenant, kr, 1m, Bob).AsTask());

        await okr.As(Alice).CheckIns.RecordAsync(_tenant, kr, 1m, Alice);
        policy.Allow = true;
        await okr.As(Alice).CheckIns.RecordAsync(_tenant, kr, 2m, Bob);
        Assert.Equal(["person:alice", "person:bob"], (await _store.GetHistoryAsync(_tenant, kr).ToListAsync()).Select(c => c.Author.ToString()).Order());

        // The root service acts as the system: any author, as imports and integrations need.
        await _okr.CheckIns.RecordAsync(_tenant, kr, 3m, Bob);
    }

    [Fact]
    public async Task A_retried_check_in_is_a_no_op_that_returns_the_stored_one_even_a_minute_later()
    {
        var (_, objective) = await ActiveObjective();
        var kr = objective.KeyResults[0].Id;
        var id = CheckInId.New(_clock);
        var first = await _okr.CheckIns.RecordAsync(_tenant, kr, 12.5m, Alice, confidence: new Confidence(0.8), note: "on track", id: id);
        _clock.Advance(Duration.FromMinutes(1));
        var commits = _store.Commits;

        var retry = await _okr.CheckIns.RecordAsync(_tenant, kr, 12.5m, Alice, confidence: new Confidence(0.8), note: "on track", id: id);
        Assert.Equal(first, retry);
        Assert.Equal(commits, _store.Commits);
        var explicitTime = await _okr.CheckIns.RecordAsync(_tenant, kr, 12.5m, Alice, effectiveAt: first.EffectiveAt, confidence: new Confidence(0.8), note: "on track", id: id);
        Assert.Equal(first, explicitTime);
        Assert.Single(await _store.GetHistoryAsync(_tenant, kr).ToListAsync());

        foreach (var different in new Func<Task>[]
        {
            () => _okr.CheckIns.RecordAsync(_tenant, kr, 12.50m, Alice, confidence: new Confidence(0.8), note: "on track", id: id).AsTask(),
            () => _okr.CheckIns.RecordAsync(_tenant, kr, 13m, Alice, confidence: new Confidence(0.8), note: "on track", id: id).AsTask(),
            () => _okr.CheckIns.RecordAsync(_tenant, kr, 12.5m, Bob, confidence: new Confidence(0.8), note: "on track", id: id).AsTask(),
            () => _okr.CheckIns.RecordAsync(_tenant, kr, 12.5m, Alice, confidence: new Confidence(0.5), note: "on track", id: id).AsTask(),
            () => _okr.CheckIns.RecordAsync(_tenant, kr, 12.5m, Alice, confidence: new Confidence(0.8), note: "changed", id: id).AsTask(),
            () => _okr.CheckIns.RecordAsync(_tenant, objective.KeyResults[1].Id, 12.5m, Alice, confidence: new Confidence(0.8), note: "on track", id: id).AsTask(),
            () => _okr.CheckIns.RecordAsync(_tenant, kr, 12.5m, Alice, effectiveAt: first.EffectiveAt - Duration.FromHours(1), confidence: new Confidence(0.8), note: "on track", id: id).AsTask(),
        })
        {
            var ex = await Assert.ThrowsAsync<OkrValidationException>(different);
            Assert.Equal(OkrErrorCodes.DuplicateId, Assert.Single(ex.Violations).Code);
        }

        Assert.Equal([first], await _store.GetHistoryAsync(_tenant, kr).ToListAsync());
    }

    [Fact]
    public async Task The_store_skips_a_retried_check_in_whose_recorded_instant_differs()
    {
        var kr = new KeyResultId(Guid.NewGuid());
        var first = new CheckIn(CheckInId.New(_clock), kr, 4m, Alice, TestData.Start, TestData.Start);
        Assert.True(await _store.AppendCheckInAsync(_tenant, first));
        var later = new CheckIn(first.Id, kr, 4m, Alice, TestData.Start, TestData.Start + Duration.FromMinutes(1));
        Assert.False(await _store.AppendCheckInAsync(_tenant, later));
        Assert.Equal(first, await _store.GetCheckInAsync(_tenant, first.Id));
    }

    [Fact]
    public async Task The_default_tenant_is_refused_by_every_facade_entry_point_naming_the_argument()
    {
        var (period, objective) = await ActiveObjective();
        var none = default(TenantId);
        var kr = objective.KeyResults[0].Id;
        var calls = new Func<Task>[]
        {
            () => _okr.Periods.CreateAsync(none, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 2)).AsTask(),
            () => _okr.Periods.GetAsync(none, period.Id).AsTask(),
            () => _okr.Periods.ActivateAsync(none, period.Id).AsTask(),
            () => _okr.Periods.CloseAsync(none, period.Id).AsTask(),
            () => _okr.Periods.ReopenAsync(none, period.Id, "why").AsTask(),
            () => _okr.Periods.ArchiveAsync(none, period.Id).AsTask(),
            () => _okr.Periods.HistoryAsync(none, period.Id).AsTask(),
            () => _okr.Objectives.CreateAsync(none, Objective.Create(ObjectiveId.New(_clock), period.Id, "X", Alice, _clock)).AsTask(),
            () => _okr.Objectives.GetAsync(none, objective.Id).AsTask(),
            () => _okr.Objectives.EditAsync(none, objective.Id, (o, c) => o.WithTitle("Y", c)).AsTask(),
            () => _okr.Objectives.ActivateAsync(none, objective.Id).AsTask(),
            () => _okr.Objectives.CancelAsync(none, objective.Id).AsTask(),
            () => _okr.Objectives.AlignAsync(none, objective.Id, new AlignmentLink(ObjectiveId.New(_clock))).AsTask(),
            () => _okr.Objectives.AddKeyResultAsync(none, objective.Id, TestData.Krs(1)[0]).AsTask(),
            () => _okr.Objectives.HistoryAsync(none, objective.Id).AsTask(),
            () => _okr.Objectives.ListAsync(none).ToListAsync().AsTask(),
            () => _okr.CheckIns.RecordAsync(none, kr, 1m, Alice).AsTask(),
            () => _okr.CheckIns.RecordManyAsync(none, [new CheckIn(CheckInId.New(_clock), kr, 1m, Alice, TestData.Start, TestData.Start)]).AsTask(),
            () => _okr.CheckIns.CorrectAsync(none, CheckInId.New(_clock), 1m, Alice).AsTask(),
            () => _okr.CheckIns.HistoryAsync(none, kr).AsTask(),
            () => _okr.Progress.SummarizeAsync(none, period.Id).AsTask(),
            () => _okr.Progress.GetObjectiveStatusAsync(none, objective.Id).AsTask(),
        };
        var commits = _store.Commits;
        foreach (var call in calls)
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(call);
            Assert.Equal("tenant", ex.ParamName);
        }

        Assert.Equal(commits, _store.Commits);
    }

    [Fact]
    public async Task A_lost_race_under_an_actor_names_nothing_the_actor_may_not_read()
    {
        var (_, objective) = await ActiveObjective();
        var secret = new ObjectiveId(Guid.NewGuid());
        var losing = new OkrService(new LosingStore(_store, secret), _clock, new OkrServiceOptions { AccessPolicy = new Policy() });
        var asActor = await Assert.ThrowsAsync<OkrConcurrencyException>(() => losing.As(Alice).Objectives.EditAsync(_tenant, objective.Id, (o, c) => o.WithTitle("Mine", c)).AsTask());
        Assert.DoesNotContain(secret.ToString(), asActor.Message, StringComparison.Ordinal);
        Assert.Null(asActor.ActualVersion);

        // The system (no actor) gets the store's detail.
        var asSystem = await Assert.ThrowsAsync<OkrConcurrencyException>(() => losing.Objectives.EditAsync(_tenant, objective.Id, (o, c) => o.WithTitle("Mine", c)).AsTask());
        Assert.Contains(secret.ToString(), asSystem.Message, StringComparison.Ordinal);
    }

    /// <summary>Loses every commit, naming an objective the actor has never seen.</summary>
    private sealed class LosingStore(IOkrStore inner, ObjectiveId secret) : Okr.Storage.Specification.DelegatingOkrStore(inner)
    {
        public override ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default) =>
            throw new OkrConcurrencyException($"Objective {secret} was read at version 3 and is now at version 4.", 3, 4);
    }

    private sealed class Policy : IOkrAccessPolicy
    {
        public bool Allow { get; set; }

        public List<(OwnerRef Actor, OwnerRef Author)> Asked { get; } = [];

        public ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(OkrRelation.Owner);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> CanRecordForAsync(TenantId tenant, OwnerRef actor, OwnerRef author, CancellationToken cancellationToken)
        {
            Asked.Add((actor, author));
            return ValueTask.FromResult(Allow);
        }
    }
}
