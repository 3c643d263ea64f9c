using NodaTime;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Service;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    private static readonly OwnerRef Manager = OwnerRef.Person("hr-lead");

    /// <summary>
    /// Through the facade, on this store: close with an override, reopen the period, reopen the objective, record a late
    /// check-in, close again. The audit trail keeps both grades, the override's who and why, and the reopening's reason;
    /// the outbox has the reopening.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Corrections_after_close_keep_every_grade_with_who_and_why() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var clock = new SteppingClock(Start);
        var okr = new OkrService(store, clock).As(Manager);
        var period = await okr.Periods.CreateAsync(tenant, Quarter());
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var objective = await okr.Objectives.CreateAsync(tenant, NewObjective(period.Id, "Win the north").WithUpdatedBy(null));
        objective = await okr.Objectives.ActivateAsync(tenant, objective.Id);
        clock.Advance(Duration.FromDays(30));
        await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[0].Id, 1500m, Manager);

        // Closed with a person's grade instead of the computed one.
        clock.Advance(Duration.FromDays(60));
        await okr.Periods.CloseAsync(tenant, period.Id, new Dictionary<ObjectiveId, GradeOverride> { [objective.Id] = new(0.4, Manager, "the pilot does not count") });
        var firstGrade = (await okr.Objectives.GetAsync(tenant, objective.Id)).Grade!;
        Assert.Equal((0.4, "the pilot does not count"), (firstGrade.Value, firstGrade.OverrideReason));

        // Reopening the objective needs its period open.
        var shut = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Objectives.ReopenAsync(tenant, objective.Id, "a late deal counted"));
        Assert.Contains(shut.Violations, v => v.Code == OkrErrorCodes.PeriodClosed);

        await okr.Periods.ReopenAsync(tenant, period.Id, "late data from sales");
        var reopened = await okr.Objectives.ReopenAsync(tenant, objective.Id, "a late deal counted");
        Assert.Equal((ObjectiveState.Active, (FinalGrade?)null, "a late deal counted"), (reopened.State, reopened.Grade, reopened.ReopenReason));
        await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[0].Id, 2500.25m, Manager, effectiveAt: Start + Duration.FromDays(80));
        await okr.Periods.CloseAsync(tenant, period.Id);

        var final = await okr.Objectives.GetAsync(tenant, objective.Id);
        Assert.Equal(ObjectiveState.Closed, final.State);
        Assert.Null(final.Grade!.OverriddenBy);
        Assert.NotEqual(firstGrade.Value, final.Grade.Value);
        Assert.Equal("a late deal counted", final.ReopenReason);

        // Every grade that ever stood, in order, with who set it and why; the reopening between them, with its reason.
        var history = await ToListAsync(store.ListObjectiveHistoryAsync(tenant, objective.Id));
        var grades = history.Select(o => o.Grade).Where(g => g is not null).Distinct().ToList();
        Assert.Equal([firstGrade, final.Grade], grades);
        Assert.Equal(Manager, grades[0]!.OverriddenBy);
        var revisions = await okr.Objectives.HistoryAsync(tenant, objective.Id);
        Assert.Contains(revisions, r => r.Changes.Any(c => c is { Member: "reopenReason", After: "a late deal counted" }) && r.Changes.Any(c => c is { Member: "grade", After: null }) && r.Objective.UpdatedBy == Manager);
        if (store is IOkrEventOutbox outbox)
        {
            Assert.Contains(await outbox.ReadEventsAsync(tenant, 0, 100), e => e.Type == OkrEventTypes.ObjectiveReopened);
        }
    });

    /// <summary>A close whose override names no objective it grades writes nothing: the period and its objectives stay active.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_close_with_a_bad_override_writes_nothing() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var clock = new SteppingClock(Start);
        var okr = new OkrService(store, clock).As(Manager);
        var period = await okr.Periods.CreateAsync(tenant, Quarter());
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var objective = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, NewObjective(period.Id))).Id);
        var elsewhere = await okr.Periods.CreateAsync(tenant, Quarter(2026, 2));
        var other = await okr.Objectives.CreateAsync(tenant, NewObjective(elsewhere.Id, "Another quarter's"));

        foreach (var wrong in new[] { new ObjectiveId(Guid.NewGuid()), other.Id })
        {
            var refused = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Periods.CloseAsync(tenant, period.Id, new Dictionary<ObjectiveId, GradeOverride>
            {
                [objective.Id] = new(0.7, Manager, "fine"),
                [wrong] = new(0.2, Manager, "meant for another"),
            }));
            Assert.Equal([$"Overrides[{wrong}]"], refused.Violations.Select(v => v.Member));
        }

        Assert.Equal(PeriodState.Active, (await store.GetPeriodAsync(tenant, period.Id))!.State);
        Assert.Equal((ObjectiveState.Active, (FinalGrade?)null), ((await store.GetObjectiveAsync(tenant, objective.Id))!.State, (await store.GetObjectiveAsync(tenant, objective.Id))!.Grade));
    });

    /// <summary>A draft left in a closed period can still be cancelled; nothing else of the period can change.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task A_draft_in_a_closed_period_can_be_cancelled() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var okr = new OkrService(store, new SteppingClock(Start)).As(Manager);
        var period = await okr.Periods.CreateAsync(tenant, Quarter());
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var draft = await okr.Objectives.CreateAsync(tenant, NewObjective(period.Id, "Never started"));
        await okr.Periods.CloseAsync(tenant, period.Id);

        var renamed = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.Objectives.EditAsync(tenant, draft.Id, (o, c) => o.WithTitle("Started late", c)));
        Assert.Contains(renamed.Violations, v => v.Code == OkrErrorCodes.PeriodClosed);
        Assert.Equal(ObjectiveState.Cancelled, (await okr.Objectives.CancelAsync(tenant, draft.Id)).State);
    });

    /// <summary>A clock the test moves forward.</summary>
    private sealed class SteppingClock(Instant start) : IClock
    {
        private Instant _now = start;

        public Instant GetCurrentInstant() => _now;

        public void Advance(Duration by) => _now += by;
    }
}
