using System.Text;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    /// <summary>
    /// Through the facade, on this store: a key result whose level a person chooses scores that level's score, refuses a
    /// value that is no level's position, and survives the store's own bodies and an export read back into another tenant.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task An_ordinal_key_result_scores_its_chosen_level_and_round_trips() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var clock = new SteppingClock(Start);
        var okr = new OkrService(store, clock).As(Manager);
        var period = await okr.Periods.CreateAsync(tenant, Quarter());
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var levels = new OrdinalMeasure([new("missed", 0), new("partly", 0.5), new("Met", 0.8), new("beyond", 1)]);
        var draft = NewObjective(period.Id, "Ship the partner portal");
        var chosen = new KeyResult(new KeyResultId(Guid.NewGuid()), "Partner feedback", levels);
        draft = new Objective(draft.Id, draft.PeriodId, draft.Title, draft.Description, draft.Owner, draft.Kind, draft.State, draft.Visibility, [chosen, .. draft.KeyResults], [], 0, Start, Start, null);
        var objective = await okr.Objectives.ActivateAsync(tenant, (await okr.Objectives.CreateAsync(tenant, draft)).Id);

        clock.Advance(NodaTime.Duration.FromDays(10));
        await okr.CheckIns.RecordAsync(tenant, chosen.Id, levels.ValueOf("partly"), Manager);
        clock.Advance(NodaTime.Duration.FromDays(10));
        await okr.CheckIns.RecordAsync(tenant, chosen.Id, levels.ValueOf("met"), Manager);
        await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[1].Id, 2500.25m, Manager);
        var refused = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.CheckIns.RecordAsync(tenant, chosen.Id, 4m, Manager));
        Assert.Contains(refused.Violations, v => v.Code == OkrErrorCodes.InvalidValue && v.Message.Contains("3 beyond", StringComparison.Ordinal));
        var fractional = await Assert.ThrowsAsync<OkrValidationException>(async () => await okr.CheckIns.RecordAsync(tenant, chosen.Id, 1.5m, Manager));
        Assert.Contains(fractional.Violations, v => v.Code == OkrErrorCodes.InvalidValue);

        // The level's own score under the default (linear) policy; revenue (weight 2) reached its target, and the two
        // key results without check-ins count as zero.
        var status = await okr.Progress.GetObjectiveStatusAsync(tenant, objective.Id);
        var mine = status.KeyResults.Single(k => k.Progress.KeyResult.Id == chosen.Id);
        Assert.Equal(0.8, mine.Progress.Progress!.Value, 12);
        Assert.Equal("Met", levels.LevelAt(mine.Latest!.Value).Name);
        Assert.False(mine.Forecast?.IsSufficient ?? false, "A chosen level has no trend to forecast.");
        Assert.Equal(((1 * 0.8) + (2 * 1.0)) / 5, status.Progress.Progress!.Value, 12);

        // The store keeps the measure whole, and an export says okr/2 and reads back equal.
        Assert.Equal(levels, (await okr.Objectives.GetAsync(tenant, objective.Id)).KeyResults[0].Measure);
        var exported = await okr.Transfer.ExportAsync(tenant);
        var json = OkrJson.Serialize(exported);
        Assert.Contains($"\"format\":\"{OkrDocument.OrdinalFormat}\"", json.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var other = NewTenant();
        await new OkrService(store, clock).Transfer.ImportAsync(other, OkrJson.Deserialize(Encoding.UTF8.GetBytes(json)) with { TenantId = other });
        var copy = await new OkrService(store, clock).Progress.GetObjectiveStatusAsync(other, objective.Id);
        Assert.Equal(levels, copy.Progress.Objective.KeyResults[0].Measure);
        Assert.Equal(status.Progress.Progress, copy.Progress.Progress);
    });
}
