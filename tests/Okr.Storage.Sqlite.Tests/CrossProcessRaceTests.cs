using Okr.Core;
using Okr.Testing;

namespace Okr.Storage.Sqlite.Tests;

/// <summary>The kit's races with the losing write in a second OS process on the same database file.</summary>
public class CrossProcessRaceTests
{
    [Fact]
    public async Task A_check_in_decided_in_another_process_before_a_close_loses()
    {
        var cs = TempDatabase.NewConnectionString();
        var (outcome, checkIns) = await CrossProcessRaces.CheckInAgainstCloseAsync("sqlite", cs, new SqliteOkrStore(cs));
        Assert.Equal(("lost OkrConcurrencyException", 0), (outcome, checkIns));
    }

    [Fact]
    public async Task A_close_decided_in_another_process_before_a_check_in_loses()
    {
        var cs = TempDatabase.NewConnectionString();
        var (outcome, state) = await CrossProcessRaces.CloseAgainstCheckInAsync("sqlite", cs, new SqliteOkrStore(cs));
        Assert.Equal(("lost OkrConcurrencyException", PeriodState.Active), (outcome, state));
    }

    [Fact]
    public async Task An_alignment_decided_in_another_process_loses_to_the_reverse_one()
    {
        var cs = TempDatabase.NewConnectionString();
        var (outcome, links) = await CrossProcessRaces.AlignmentAgainstAlignmentAsync("sqlite", cs, new SqliteOkrStore(cs));
        Assert.Equal(("lost OkrConcurrencyException", 1), (outcome, links));
    }

    [Fact]
    public async Task A_create_decided_in_another_process_loses_to_the_same_id_created_here()
    {
        var cs = TempDatabase.NewConnectionString();
        var (outcome, name, versions) = await CrossProcessRaces.CreateAgainstCreateAsync("sqlite", cs, new SqliteOkrStore(cs));
        Assert.Equal(("lost OkrConcurrencyException", "2026-Q2", 1), (outcome, name, versions));
    }

    [Fact]
    public async Task An_archive_decided_in_another_process_loses_to_a_reopen()
    {
        var cs = TempDatabase.NewConnectionString();
        var (outcome, state) = await CrossProcessRaces.ArchiveAgainstReopenAsync("sqlite", cs, new SqliteOkrStore(cs));
        Assert.Equal(("lost OkrConcurrencyException", PeriodState.Active), (outcome, state));
    }

    [Fact]
    public async Task A_quarter_decided_in_another_process_loses_to_an_overlapping_one_created_here()
    {
        var cs = TempDatabase.NewConnectionString();
        Assert.Equal(("lost OkrConcurrencyException", 1), await CrossProcessRaces.OverlapAgainstOverlapAsync("sqlite", cs, new SqliteOkrStore(cs)));
    }

    [Fact]
    public async Task A_carry_over_decided_in_another_process_loses_to_the_same_carry_over_here()
    {
        var cs = TempDatabase.NewConnectionString();
        Assert.Equal(("lost OkrConcurrencyException", 1), await CrossProcessRaces.CarryOverAgainstCarryOverAsync("sqlite", cs, new SqliteOkrStore(cs)));
    }

    [Fact]
    public async Task An_activation_decided_in_another_process_loses_to_a_close()
    {
        var cs = TempDatabase.NewConnectionString();
        var (outcome, active) = await CrossProcessRaces.ActivateAgainstCloseAsync("sqlite", cs, new SqliteOkrStore(cs));
        Assert.Equal(("lost OkrConcurrencyException", 0), (outcome, active));
    }

    [Fact]
    public async Task The_current_value_follows_the_rule_not_the_commit_order_when_two_processes_check_in_on_one_key_result()
    {
        var cs = TempDatabase.NewConnectionString();
        var (outcome, current, lastRecorded, definition, latest) = await CrossProcessRaces.CheckInAgainstCheckInAsync("sqlite", cs, new SqliteOkrStore(cs));
        Assert.Equal("committed", outcome);
        Assert.Equal((7m, 7m), (current, definition));
        Assert.Equal(latest, lastRecorded);
    }

    [Fact]
    public async Task A_period_activation_decided_in_another_process_loses_to_another_quarters_activation()
    {
        var cs = TempDatabase.NewConnectionString();
        var (outcome, active) = await CrossProcessRaces.PeriodActivationAgainstActivationAsync("sqlite", cs, new SqliteOkrStore(cs));
        Assert.Equal("lost OkrConcurrencyException", outcome);
        Assert.Equal(["2026-Q2"], active);
    }

    [Fact]
    public async Task Two_amounts_added_by_a_source_from_two_processes_both_count()
    {
        var cs = TempDatabase.NewConnectionString();
        var (outcome, baseline, values) = await CrossProcessRaces.AddedReadingAgainstAddedReadingAsync("sqlite", cs, new SqliteOkrStore(cs));
        Assert.Equal("committed", outcome);
        Assert.Equal([baseline + 7m, baseline + 12m], values);
    }
}
