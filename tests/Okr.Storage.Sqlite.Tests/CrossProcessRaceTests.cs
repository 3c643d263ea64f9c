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
}
