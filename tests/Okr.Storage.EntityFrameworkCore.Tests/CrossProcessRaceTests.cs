using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Okr.Core;
using Okr.Testing;

namespace Okr.Storage.EntityFrameworkCore.Tests;

/// <summary>The kit's races with the losing write in a second OS process (tests/Okr.Storage.CrashHelper with its own context).</summary>
internal static class EfRaces
{
    public static (string ConnectionString, EntityFrameworkCoreOkrStore<HostContext> Store) On(DbContextOptions<HostContext> options) =>
        (RelationalOptionsExtension.Extract(options).ConnectionString!, new EntityFrameworkCoreOkrStore<HostContext>(new HostContextFactory(options)));

    public static async Task CheckInAgainstClose(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        Assert.Equal(("lost OkrConcurrencyException", 0), await CrossProcessRaces.CheckInAgainstCloseAsync(provider, cs, store));
    }

    public static async Task CloseAgainstCheckIn(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        Assert.Equal(("lost OkrConcurrencyException", PeriodState.Active), await CrossProcessRaces.CloseAgainstCheckInAsync(provider, cs, store));
    }

    public static async Task AlignmentAgainstAlignment(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        Assert.Equal(("lost OkrConcurrencyException", 1), await CrossProcessRaces.AlignmentAgainstAlignmentAsync(provider, cs, store));
    }

    public static async Task CreateAgainstCreate(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        Assert.Equal(("lost OkrConcurrencyException", "2026-Q2", 1), await CrossProcessRaces.CreateAgainstCreateAsync(provider, cs, store));
    }

    public static async Task ArchiveAgainstReopen(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        Assert.Equal(("lost OkrConcurrencyException", PeriodState.Active), await CrossProcessRaces.ArchiveAgainstReopenAsync(provider, cs, store));
    }

    public static async Task OverlapAgainstOverlap(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        Assert.Equal(("lost OkrConcurrencyException", 1), await CrossProcessRaces.OverlapAgainstOverlapAsync(provider, cs, store));
    }

    public static async Task CarryOverAgainstCarryOver(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        Assert.Equal(("lost OkrConcurrencyException", 1), await CrossProcessRaces.CarryOverAgainstCarryOverAsync(provider, cs, store));
    }

    public static async Task ActivateAgainstClose(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        Assert.Equal(("lost OkrConcurrencyException", 0), await CrossProcessRaces.ActivateAgainstCloseAsync(provider, cs, store));
    }

    public static async Task PeriodActivationAgainstActivation(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        var (outcome, active) = await CrossProcessRaces.PeriodActivationAgainstActivationAsync(provider, cs, store);
        Assert.Equal("lost OkrConcurrencyException", outcome);
        Assert.Equal(["2026-Q2"], active);
    }

    public static async Task AddedReadingAgainstAddedReading(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        var (outcome, baseline, values) = await CrossProcessRaces.AddedReadingAgainstAddedReadingAsync(provider, cs, store);
        Assert.Equal("committed", outcome);
        Assert.Equal([baseline + 7m, baseline + 12m], values);
    }

    public static async Task CheckInAgainstCheckIn(string provider, DbContextOptions<HostContext> options)
    {
        var (cs, store) = On(options);
        var (outcome, current, lastRecorded, definition, latest) = await CrossProcessRaces.CheckInAgainstCheckInAsync(provider, cs, store);
        Assert.Equal("committed", outcome);
        Assert.Equal((7m, 7m), (current, definition));
        Assert.Equal(latest, lastRecorded);
    }
}

/// <summary>Two processes on one SQLite file through the EF Core store.</summary>
public class EfCoreSqliteCrossProcessRaceTests
{
    [Fact]
    public Task A_check_in_decided_in_another_process_before_a_close_loses() => EfRaces.CheckInAgainstClose("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task A_close_decided_in_another_process_before_a_check_in_loses() => EfRaces.CloseAgainstCheckIn("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task An_alignment_decided_in_another_process_loses_to_the_reverse_one() => EfRaces.AlignmentAgainstAlignment("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task A_create_decided_in_another_process_loses_to_the_same_id_created_here() => EfRaces.CreateAgainstCreate("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task An_archive_decided_in_another_process_loses_to_a_reopen() => EfRaces.ArchiveAgainstReopen("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task A_quarter_decided_in_another_process_loses_to_an_overlapping_one_created_here() => EfRaces.OverlapAgainstOverlap("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task A_carry_over_decided_in_another_process_loses_to_the_same_carry_over_here() => EfRaces.CarryOverAgainstCarryOver("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task An_activation_decided_in_another_process_loses_to_a_close() => EfRaces.ActivateAgainstClose("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task The_current_value_follows_the_rule_when_two_processes_check_in_on_one_key_result() => EfRaces.CheckInAgainstCheckIn("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task A_period_activation_decided_in_another_process_loses_to_another_quarters_activation() => EfRaces.PeriodActivationAgainstActivation("ef-sqlite", Databases.NewSqlite());

    [Fact]
    public Task Two_amounts_added_by_a_source_from_two_processes_both_count() => EfRaces.AddedReadingAgainstAddedReading("ef-sqlite", Databases.NewSqlite());
}

/// <summary>Two processes on one PostgreSQL database through the EF Core store.</summary>
public class EfCorePostgresCrossProcessRaceTests
{
    [PostgresFact]
    public Task A_check_in_decided_in_another_process_before_a_close_loses() => EfRaces.CheckInAgainstClose("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task A_close_decided_in_another_process_before_a_check_in_loses() => EfRaces.CloseAgainstCheckIn("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task An_alignment_decided_in_another_process_loses_to_the_reverse_one() => EfRaces.AlignmentAgainstAlignment("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task A_create_decided_in_another_process_loses_to_the_same_id_created_here() => EfRaces.CreateAgainstCreate("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task An_archive_decided_in_another_process_loses_to_a_reopen() => EfRaces.ArchiveAgainstReopen("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task A_quarter_decided_in_another_process_loses_to_an_overlapping_one_created_here() => EfRaces.OverlapAgainstOverlap("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task A_carry_over_decided_in_another_process_loses_to_the_same_carry_over_here() => EfRaces.CarryOverAgainstCarryOver("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task An_activation_decided_in_another_process_loses_to_a_close() => EfRaces.ActivateAgainstClose("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task The_current_value_follows_the_rule_when_two_processes_check_in_on_one_key_result() => EfRaces.CheckInAgainstCheckIn("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task A_period_activation_decided_in_another_process_loses_to_another_quarters_activation() => EfRaces.PeriodActivationAgainstActivation("ef-postgresql", Databases.Postgres);

    [PostgresFact]
    public Task Two_amounts_added_by_a_source_from_two_processes_both_count() => EfRaces.AddedReadingAgainstAddedReading("ef-postgresql", Databases.Postgres);
}
