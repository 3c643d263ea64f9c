using NodaTime;
using NodaTime.Testing;
using Okr.Core.Access;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>Visibility enforced through the host's access policy, and the audit trail of who changed what.</summary>
public class AccessAndAuditTests
{
    private static readonly OwnerRef Alice = OwnerRef.Person("alice");
    private static readonly OwnerRef Bob = OwnerRef.Person("bob");
    private static readonly OwnerRef Carol = OwnerRef.Person("carol");
    private static readonly OwnerRef Admin = OwnerRef.Person("admin");
    private static readonly OwnerRef Sales = OwnerRef.Team("sales");

    private readonly FakeClock _clock = TestData.Clock();
    private readonly InMemoryOkrStore _store = new();
    private readonly TenantId _tenant = new(Guid.NewGuid());
    private readonly OrgChartPolicy _policy = new();
    private readonly OkrService _system;

    public AccessAndAuditTests() => _system = new OkrService(_store, _clock, new OkrServiceOptions { AccessPolicy = _policy });

    private async Task<OkrPeriod> Quarter()
    {
        var q = await _system.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1));
        return await _system.Periods.ActivateAsync(_tenant, q.Id);
    }

    private Task<Objective> Create(OkrService okr, OkrPeriod period, OwnerRef owner, Visibility visibility, string title = "Grow") =>
        okr.Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), period.Id, title, owner, _clock, visibility: visibility, keyResults: TestData.Krs(3))).AsTask();

    private async Task<string> Exported() => OkrJson.Serialize(await _store.ExportAsync(_tenant));

    [Fact]
    public async Task Private_objectives_are_read_by_their_owner_only()
    {
        var q = await Quarter();
        var secret = await Create(_system.As(Alice), q, Alice, Visibility.Private);

        Assert.Equal(secret, await _system.As(Alice).Objectives.GetAsync(_tenant, secret.Id));
        // Hidden is missing: the same error, word for word, as an id that does not exist.
        var missing = ObjectiveId.New(_clock);
        var hidden = await Assert.ThrowsAsync<OkrNotFoundException>(() => _system.As(Bob).Objectives.GetAsync(_tenant, secret.Id).AsTask());
        var absent = await Assert.ThrowsAsync<OkrNotFoundException>(() => _system.As(Bob).Objectives.GetAsync(_tenant, missing).AsTask());
        Assert.Equal(absent.Message.Replace(missing.ToString(), "ID", StringComparison.Ordinal), hidden.Message.Replace(secret.Id.ToString(), "ID", StringComparison.Ordinal));
        Assert.DoesNotContain(secret.Title, hidden.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<OkrNotFoundException>(() => _system.As(Carol).Objectives.HistoryAsync(_tenant, secret.Id).AsTask());
        Assert.Empty(await _system.As(Carol).CheckIns.HistoryAsync(_tenant, secret.KeyResults[0].Id));
        await Assert.ThrowsAsync<OkrNotFoundException>(() => _system.As(Bob).Progress.GetObjectiveStatusAsync(_tenant, secret.Id).AsTask());

        // The system (the root service) is not checked.
        Assert.Equal(secret, await _system.Objectives.GetAsync(_tenant, secret.Id));
    }

    [Fact]
    public async Task Carrying_again_an_objective_whose_copy_the_actor_may_not_read_fails_without_showing_the_copy()
    {
        var q1 = await Quarter();
        var q2 = await _system.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 2));
        var mine = await Create(_system.As(Alice), q1, Alice, Visibility.Public);
        var copy = Assert.Single(await _system.As(Alice).Periods.CarryOverAsync(_tenant, q1.Id, q2.Id, [mine.Id])).Copy;

        // The copy went to Carol and became private, renamed: Alice may read her source, not the copy.
        await _system.Objectives.EditAsync(_tenant, copy.Id, (o, c) => o.WithOwner(Carol, c).WithVisibility(Visibility.Private, c).WithTitle("Confidential reorg", c));
        var before = await Exported();

        var refused = await Assert.ThrowsAsync<OkrValidationException>(() => _system.As(Alice).Periods.CarryOverAsync(_tenant, q1.Id, q2.Id, [mine.Id]).AsTask());

        var violation = Assert.Single(refused.Violations);
        Assert.Equal((OkrErrorCodes.DuplicateId, "objectives[0]"), (violation.Code, violation.Member));
        Assert.DoesNotContain("Confidential reorg", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(copy.Id.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("carol", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await Exported());

        // The system, which reads everything, is told it was carried already.
        Assert.True(Assert.Single(await _system.Periods.CarryOverAsync(_tenant, q1.Id, q2.Id, [mine.Id])).AlreadyCarried);
    }

    [Fact]
    public async Task Team_objectives_are_read_by_the_team_and_lists_leave_out_the_rest()
    {
        var q = await Quarter();
        var open = await Create(_system, q, Alice, Visibility.Public, "Open");
        var team = await Create(_system, q, Alice, Visibility.Team, "Team");
        var mine = await Create(_system, q, Alice, Visibility.Private, "Mine");

        async Task<List<string>> Titles(OwnerRef who) =>
            [.. (await _system.As(who).Objectives.ListAsync(_tenant).ToListAsync()).Select(o => o.Title).Order(StringComparer.Ordinal)];

        Assert.Equal(["Mine", "Open", "Team"], await Titles(Alice));
        Assert.Equal(["Open", "Team"], await Titles(Bob));
        Assert.Equal(["Open"], await Titles(Carol));
        Assert.Equal(team, await _system.As(Bob).Objectives.GetAsync(_tenant, team.Id));
        await Assert.ThrowsAsync<OkrNotFoundException>(() => _system.As(Carol).Objectives.GetAsync(_tenant, team.Id).AsTask());
        Assert.Equal(open, await _system.As(Carol).Objectives.GetAsync(_tenant, open.Id));
        _ = mine;
    }

    [Fact]
    public async Task A_summary_shows_what_the_actor_may_read_and_the_whole_period_score()
    {
        var q = await Quarter();
        foreach (var (visibility, i) in new[] { Visibility.Public, Visibility.Team, Visibility.Private }.Select((v, i) => (v, i)))
        {
            var o = await Create(_system, q, Alice, visibility, $"O{i}");
            await _system.Objectives.ActivateAsync(_tenant, o.Id);
            await _system.CheckIns.RecordAsync(_tenant, o.KeyResults[0].Id, 30 * (i + 1), Alice);
        }

        var all = await _system.Progress.SummarizeAsync(_tenant, q.Id);
        var carol = await _system.As(Carol).Progress.SummarizeAsync(_tenant, q.Id);
        var bob = await _system.As(Bob).Progress.SummarizeAsync(_tenant, q.Id);

        Assert.Equal(3, all.Objectives.Count);
        Assert.Equal(["O0"], carol.Objectives.Select(s => s.Progress.Objective.Title));
        Assert.Equal(["O0", "O1"], bob.Objectives.Select(s => s.Progress.Objective.Title).Order(StringComparer.Ordinal));
        Assert.Equal(all.Score, carol.Score);
    }

    [Fact]
    public async Task Denied_writes_fail_typed_and_write_nothing()
    {
        var q = await Quarter();
        var alices = await Create(_system.As(Alice), q, Alice, Visibility.Public);
        var before = await Exported();

        // Someone else's objective: readable (public) but not writable.
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => _system.As(Carol).Objectives.EditAsync(_tenant, alices.Id, (o, c) => o.WithTitle("Hijacked", c)).AsTask());
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => _system.As(Carol).Objectives.ActivateAsync(_tenant, alices.Id).AsTask());
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => _system.As(Carol).CheckIns.RecordAsync(_tenant, alices.KeyResults[0].Id, 5, Carol).AsTask());
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => _system.As(Carol).Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "For Alice", Alice, _clock)).AsTask());

        // Giving one's own objective away to an owner one may not write for.
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => _system.As(Alice).Objectives.EditAsync(_tenant, alices.Id, (o, c) => o.WithOwner(Carol, c)).AsTask());

        // Periods are for the admin.
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => _system.As(Alice).Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 2)).AsTask());
        await Assert.ThrowsAsync<OkrAccessDeniedException>(() => _system.As(Alice).Periods.CloseAsync(_tenant, q.Id).AsTask());

        Assert.Equal(before, await Exported());
        Assert.Equal(OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 2).Name, (await _system.As(Admin).Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 2))).Name);
    }

    [Fact]
    public async Task Without_a_policy_an_actor_may_do_anything_and_is_still_recorded()
    {
        var okr = new OkrService(_store, _clock);
        var q = await okr.Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1));
        var o = await okr.As(Carol).Objectives.CreateAsync(_tenant, Objective.Create(ObjectiveId.New(_clock), q.Id, "Anything", Alice, _clock, visibility: Visibility.Private));

        Assert.Equal(Carol, o.UpdatedBy);
        Assert.Equal(o, await okr.As(Bob).Objectives.GetAsync(_tenant, o.Id));
        Assert.Throws<ArgumentException>(() => okr.As(default));
    }

    [Fact]
    public async Task Every_change_records_who_when_and_what()
    {
        var q = await Quarter();
        var created = await Create(_system.As(Alice), q, Sales, Visibility.Team, "Grow sales");
        _clock.Advance(Duration.FromHours(1));
        await _system.As(Bob).Objectives.EditAsync(_tenant, created.Id, (o, c) => o.WithTitle("Grow sales in the north", c));
        _clock.Advance(Duration.FromHours(1));
        await _system.As(Alice).Objectives.AddKeyResultAsync(_tenant, created.Id, TestData.Kr("Open two offices"));
        _clock.Advance(Duration.FromHours(1));
        await _system.As(Alice).Objectives.ActivateAsync(_tenant, created.Id);
        _clock.Advance(Duration.FromDays(100));
        await _system.As(Admin).Periods.CloseAsync(_tenant, q.Id);

        var history = await _system.As(Bob).Objectives.HistoryAsync(_tenant, created.Id);

        Assert.Equal([1L, 2, 3, 4, 5], history.Select(r => r.Version));
        Assert.Equal([Alice, Bob, Alice, Alice, Admin], history.Select(r => r.By!.Value));
        Assert.Equal(
            [TestData.Start, TestData.Start + Duration.FromHours(1), TestData.Start + Duration.FromHours(2), TestData.Start + Duration.FromHours(3), TestData.Start + Duration.FromHours(3) + Duration.FromDays(100)],
            history.Select(r => r.At));
        // Structured: what, before and after, for a host to render in its own words.
        Assert.Equal([new RevisionChange(RevisionChangeKind.Created, "objective")], history[0].Changes);
        Assert.Equal([new RevisionChange(RevisionChangeKind.Changed, "title", "Grow sales", "Grow sales in the north")], history[1].Changes);
        var added = Assert.Single(history[2].Changes);
        var office = history[2].Objective.KeyResults[^1];
        Assert.Equal((RevisionChangeKind.Added, $"keyResults[{office.Id}]", (string?)null, "Open two offices", "Open two offices"), (added.Kind, added.Member, added.Before, added.After, added.Subject));
        Assert.Equal([new RevisionChange(RevisionChangeKind.Changed, "state", "Draft", "Active")], history[3].Changes);
        Assert.Equal(new RevisionChange(RevisionChangeKind.Changed, "state", "Active", "Closed"), history[4].Changes[0]);
        Assert.Equal((RevisionChangeKind.Added, "grade", (string?)null, "0.00"), (history[4].Changes[1].Kind, history[4].Changes[1].Member, history[4].Changes[1].Before, history[4].Changes[1].After));

        // And rendered as the sentences the audit trail showed.
        Assert.Equal(["created"], history[0].Changes.Select(c => c.ToString()));
        Assert.Equal(["title: 'Grow sales' → 'Grow sales in the north'"], history[1].Changes.Select(c => c.ToString()));
        Assert.Equal(["key result added: 'Open two offices'"], history[2].Changes.Select(c => c.ToString()));
        Assert.Equal(["state: Draft → Active"], history[3].Changes.Select(c => c.ToString()));
        Assert.Equal(["state: Active → Closed", "graded 0.00"], history[4].Changes.Select(c => c.ToString()));
    }

    [Fact]
    public async Task Period_changes_record_who_and_when()
    {
        var q = await _system.As(Admin).Periods.CreateAsync(_tenant, OkrPeriod.CalendarQuarter(PeriodId.New(_clock), 2026, 1));
        _clock.Advance(Duration.FromDays(1));
        await _system.As(Admin).Periods.ActivateAsync(_tenant, q.Id);
        _clock.Advance(Duration.FromDays(90));
        await _system.As(Admin).Periods.CloseAsync(_tenant, q.Id);
        _clock.Advance(Duration.FromDays(2));
        await _system.Periods.ReopenAsync(_tenant, q.Id, "A late correction from finance");

        var history = await _system.Periods.HistoryAsync(_tenant, q.Id);

        Assert.Equal([PeriodState.Planning, PeriodState.Active, PeriodState.Closed, PeriodState.Active], history.Select(p => p.State));
        Assert.Equal([Admin, Admin, Admin, (OwnerRef?)null], history.Select(p => p.UpdatedBy));
        Assert.Equal(
            [TestData.Start, TestData.Start + Duration.FromDays(1), TestData.Start + Duration.FromDays(91), TestData.Start + Duration.FromDays(93)],
            history.Select(p => p.UpdatedAt!.Value));
        Assert.Equal("A late correction from finance", history[^1].ReopenReason);
        await Assert.ThrowsAsync<OkrNotFoundException>(() => _system.Periods.HistoryAsync(_tenant, PeriodId.New(_clock)).AsTask());
    }

    [Fact]
    public async Task A_correction_keeps_the_original_check_in()
    {
        var q = await Quarter();
        var o = await Create(_system, q, Alice, Visibility.Public);
        await _system.Objectives.ActivateAsync(_tenant, o.Id);
        var kr = o.KeyResults[0].Id;
        var original = await _system.As(Alice).CheckIns.RecordAsync(_tenant, kr, 40, Alice, note: "first");
        _clock.Advance(Duration.FromHours(2));
        var correction = await _system.As(Alice).CheckIns.CorrectAsync(_tenant, original.Id, 45, Alice, "typo");

        var history = await _system.CheckIns.HistoryAsync(_tenant, kr);

        Assert.Equal([original, correction], history);
        Assert.Equal((original.Id, 40m, Alice), (history[0].Id, history[0].Value, history[0].Author));
        Assert.Equal(original.Id, history[1].Corrects);
        Assert.Equal(45m, (await _store.GetValuesAsOfAsync(_tenant, [kr], _clock.GetCurrentInstant()))[kr].Value);
    }

    [Fact]
    public async Task A_batch_asks_the_policy_once_per_objective_not_once_per_key_result()
    {
        var q = await Quarter();
        var team = await _system.Objectives.ActivateAsync(_tenant, (await Create(_system, q, Alice, Visibility.Team)).Id);
        var other = await _system.Objectives.ActivateAsync(_tenant, (await Create(_system, q, Alice, Visibility.Team, "Other")).Id);
        var batch = team.KeyResults.Concat(other.KeyResults).Concat(team.KeyResults)
            .Select((k, i) => CheckIn.Record(CheckInId.New(_clock), k.Id, i, Alice, _clock)).ToList();

        var before = _policy.Questions;
        Assert.Equal(batch.Count, await _system.As(Alice).CheckIns.RecordManyAsync(_tenant, batch));

        // Per objective: one read check (team visibility) and one write check; 3 key results each change nothing.
        Assert.Equal(2 * 2, _policy.Questions - before);
        Assert.Equal(batch.Count, (await _store.ExportAsync(_tenant)).CheckIns.Count);
    }

    [Fact]
    public async Task Only_a_period_manager_reopens_a_closed_objective_even_its_owner_may_not()
    {
        var q = await Quarter();
        var created = await Create(_system.As(Alice), q, Sales, Visibility.Public, "Grow sales");
        await _system.As(Alice).Objectives.ActivateAsync(_tenant, created.Id);
        await _system.As(Admin).Periods.CloseAsync(_tenant, q.Id);
        await _system.As(Admin).Periods.ReopenAsync(_tenant, q.Id, "a late deal");

        await Assert.ThrowsAsync<OkrAccessDeniedException>(async () => await _system.As(Alice).Objectives.ReopenAsync(_tenant, created.Id, "mine to fix"));
        Assert.Equal(ObjectiveState.Closed, (await _store.GetObjectiveAsync(_tenant, created.Id))!.State);
        Assert.Equal(ObjectiveState.Active, (await _system.As(Admin).Objectives.ReopenAsync(_tenant, created.Id, "a late deal")).State);
    }

    /// <summary>A small org chart: alice and bob are in sales, carol in HR; admin manages periods.</summary>
    private sealed class OrgChartPolicy : IOkrAccessPolicy
    {
        private static readonly Dictionary<string, string> TeamOf = new() { ["alice"] = "sales", ["bob"] = "sales", ["carol"] = "hr", ["admin"] = "hr" };

        /// <summary>How many times the facade asked for a relation (write checks ask through it too).</summary>
        public int Questions { get; private set; }

        public ValueTask<OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken)
        {
            Questions++;
            return ValueTask.FromResult(
                actor == owner ? OkrRelation.Owner
                : owner.Kind == OwnerKind.Team && TeamOf.GetValueOrDefault(actor.ExternalId) == owner.ExternalId ? OkrRelation.Owner
                : owner.Kind == OwnerKind.Person && TeamOf.GetValueOrDefault(actor.ExternalId) == TeamOf.GetValueOrDefault(owner.ExternalId) ? OkrRelation.Team
                : OkrRelation.None);
        }

        public async ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) =>
            await RelationAsync(tenant, actor, owner, cancellationToken).ConfigureAwait(false) == OkrRelation.Owner;

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) =>
            ValueTask.FromResult(actor == Admin);
    }

    [Fact]
    public void No_service_hands_out_the_unchecked_store()
    {
        // The raw store bypasses the access policy: neither OkrService nor any of its parts exposes one publicly.
        var surface = new[] { typeof(OkrService), typeof(OkrObjectives), typeof(OkrPeriods), typeof(OkrCheckIns), typeof(OkrProgress), typeof(OkrTransfer) };
        var leaks = surface
            .SelectMany(t => t.GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static))
            .Where(m => m switch
            {
                System.Reflection.PropertyInfo p => typeof(IOkrStore).IsAssignableFrom(p.PropertyType),
                System.Reflection.FieldInfo f => typeof(IOkrStore).IsAssignableFrom(f.FieldType),
                System.Reflection.MethodInfo mi => typeof(IOkrStore).IsAssignableFrom(mi.ReturnType),
                _ => false,
            })
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");
        Assert.Empty(leaks);
    }

    [Fact]
    public async Task Aligning_needs_read_access_to_the_parent_but_a_link_made_before_it_turned_private_stays()
    {
        var q = await Quarter();
        var parent = await Create(_system, q, Alice, Visibility.Public, "Parent");
        var mine = await Create(_system, q, Carol, Visibility.Public, "Carol's");
        var carol = _system.As(Carol);
        mine = await carol.Objectives.AlignAsync(_tenant, mine.Id, new AlignmentLink(parent.Id));
        await _system.Objectives.EditAsync(_tenant, parent.Id, (o, c) => o.WithVisibility(Visibility.Private, c));

        // Adding a link to another parent keeps the old one; a new link to the now private parent is refused as to
        // a missing one.
        var second = await Create(_system, q, Alice, Visibility.Public, "Second parent");
        mine = await carol.Objectives.AlignAsync(_tenant, mine.Id, new AlignmentLink(second.Id));
        Assert.Equal([parent.Id, second.Id], mine.Alignments.Select(a => a.ParentObjectiveId));
        var other = await Create(_system, q, Carol, Visibility.Public, "Carol's second");
        var error = await Assert.ThrowsAsync<OkrValidationException>(() => carol.Objectives.AlignAsync(_tenant, other.Id, new AlignmentLink(parent.Id)).AsTask());
        Assert.Equal(OkrErrorCodes.AlignmentTargetMissing, Assert.Single(error.Violations).Code);
        Assert.Equal($"The parent objective {parent.Id} does not exist.", error.Violations[0].Message);
    }
}
