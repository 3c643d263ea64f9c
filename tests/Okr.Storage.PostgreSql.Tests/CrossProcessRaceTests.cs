using Okr.Core;
using Okr.Testing;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>The kit's races with the losing write in a second OS process on the same PostgreSQL database.</summary>
public class CrossProcessRaceTests
{
    [PostgresFact]
    public async Task A_check_in_decided_in_another_process_before_a_close_loses()
    {
        var cs = TestDatabase.SharedConnectionString;
        var (outcome, checkIns) = await CrossProcessRaces.CheckInAgainstCloseAsync("postgresql", cs, TestDatabase.Store);
        Assert.Equal(("lost OkrConcurrencyException", 0), (outcome, checkIns));
    }

    [PostgresFact]
    public async Task A_close_decided_in_another_process_before_a_check_in_loses()
    {
        var cs = TestDatabase.SharedConnectionString;
        var (outcome, state) = await CrossProcessRaces.CloseAgainstCheckInAsync("postgresql", cs, TestDatabase.Store);
        Assert.Equal(("lost OkrConcurrencyException", PeriodState.Active), (outcome, state));
    }

    [PostgresFact]
    public async Task An_alignment_decided_in_another_process_loses_to_the_reverse_one()
    {
        var cs = TestDatabase.SharedConnectionString;
        var (outcome, links) = await CrossProcessRaces.AlignmentAgainstAlignmentAsync("postgresql", cs, TestDatabase.Store);
        Assert.Equal(("lost OkrConcurrencyException", 1), (outcome, links));
    }

    [PostgresFact]
    public async Task A_create_decided_in_another_process_loses_to_the_same_id_created_here()
    {
        var cs = TestDatabase.SharedConnectionString;
        var (outcome, name, versions) = await CrossProcessRaces.CreateAgainstCreateAsync("postgresql", cs, TestDatabase.Store);
        Assert.Equal(("lost OkrConcurrencyException", "2026-Q2", 1), (outcome, name, versions));
    }

    [PostgresFact]
    public async Task An_archive_decided_in_another_process_loses_to_a_reopen()
    {
        var cs = TestDatabase.SharedConnectionString;
        var (outcome, state) = await CrossProcessRaces.ArchiveAgainstReopenAsync("postgresql", cs, TestDatabase.Store);
        Assert.Equal(("lost OkrConcurrencyException", PeriodState.Active), (outcome, state));
    }

    [PostgresFact]
    public async Task A_quarter_decided_in_another_process_loses_to_an_overlapping_one_created_here() =>
        Assert.Equal(("lost OkrConcurrencyException", 1), await CrossProcessRaces.OverlapAgainstOverlapAsync("postgresql", TestDatabase.SharedConnectionString, TestDatabase.Store));

    [PostgresFact]
    public async Task A_carry_over_decided_in_another_process_loses_to_the_same_carry_over_here() =>
        Assert.Equal(("lost OkrConcurrencyException", 1), await CrossProcessRaces.CarryOverAgainstCarryOverAsync("postgresql", TestDatabase.SharedConnectionString, TestDatabase.Store));

    [PostgresFact]
    public async Task An_activation_decided_in_another_process_loses_to_a_close()
    {
        var cs = TestDatabase.SharedConnectionString;
        var (outcome, active) = await CrossProcessRaces.ActivateAgainstCloseAsync("postgresql", cs, TestDatabase.Store);
        Assert.Equal(("lost OkrConcurrencyException", 0), (outcome, active));
    }

    [PostgresFact]
    public async Task The_current_value_follows_the_rule_not_the_commit_order_when_two_processes_check_in_on_one_key_result()
    {
        var cs = TestDatabase.SharedConnectionString;
        var (outcome, current, lastRecorded, definition, latest) = await CrossProcessRaces.CheckInAgainstCheckInAsync("postgresql", cs, TestDatabase.Store);
        Assert.Equal("committed", outcome);
        Assert.Equal((7m, 7m), (current, definition));
        Assert.Equal(latest, lastRecorded);
    }

    [PostgresFact]
    public async Task A_period_activation_decided_in_another_process_loses_to_another_quarters_activation()
    {
        var (outcome, active) = await CrossProcessRaces.PeriodActivationAgainstActivationAsync("postgresql", TestDatabase.SharedConnectionString, TestDatabase.Store);
        Assert.Equal("lost OkrConcurrencyException", outcome);
        Assert.Equal(["2026-Q2"], active);
    }

    [PostgresFact]
    public async Task Two_amounts_added_by_a_source_from_two_processes_both_count()
    {
        var (outcome, baseline, values) = await CrossProcessRaces.AddedReadingAgainstAddedReadingAsync("postgresql", TestDatabase.SharedConnectionString, TestDatabase.Store);
        Assert.Equal("committed", outcome);
        Assert.Equal([baseline + 7m, baseline + 12m], values);
    }
}
