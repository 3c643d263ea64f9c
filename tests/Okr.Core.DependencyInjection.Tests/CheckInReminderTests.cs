using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Service;

namespace Okr.Core.DependencyInjection.Tests;

/// <summary>
/// The hosted check-in reminder job, polled by hand under NodaTime's <see cref="FakeClock"/> (no sleeps): each tenant is
/// reminded once a day from the configured time in its own zone, with what its active periods owe; a tenant whose
/// reminder fails is tried again at the next poll without holding up the others.
/// </summary>
public class CheckInReminderTests
{
    private static readonly TenantId Berlin = new(Guid.NewGuid());
    private static readonly TenantId NewYork = new(Guid.NewGuid());

    [Fact]
    public async Task Each_tenant_is_reminded_once_a_day_from_nine_in_its_own_zone()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        var reminder = new Recorder();
        await using var provider = Provider(clock, reminder);
        var okr = provider.GetRequiredService<OkrService>();
        var objectives = new Dictionary<TenantId, Objective> { [Berlin] = await SeedAsync(okr, Berlin, clock), [NewYork] = await SeedAsync(okr, NewYork, clock) };
        var job = Job(provider);

        // Monday 12 January: 07:30 UTC is 08:30 in Berlin, 02:30 in New York.
        clock.Reset(Instant.FromUtc(2026, 1, 12, 7, 30));
        Assert.Equal(0, await job.RunOnceAsync(default));
        clock.Reset(Instant.FromUtc(2026, 1, 12, 8, 0));                     // nine in Berlin
        Assert.Equal(1, await job.RunOnceAsync(default));
        var (tenant, period, due) = Assert.Single(reminder.Calls);
        Assert.Equal(Berlin, tenant);
        Assert.Equal(PeriodState.Active, period.State);
        Assert.Equal(objectives[Berlin].KeyResults.Select(k => k.Id).Order(), due.Select(d => d.KeyResult.Id).Order());
        Assert.All(due, d => Assert.Equal((new LocalDate(2026, 1, 5), 2), (d.Since, d.Missed)));

        clock.Reset(Instant.FromUtc(2026, 1, 12, 13, 59));                   // Berlin again the same day: not again
        Assert.Equal(0, await job.RunOnceAsync(default));
        clock.Reset(Instant.FromUtc(2026, 1, 12, 14, 0));                    // nine in New York
        Assert.Equal(1, await job.RunOnceAsync(default));
        Assert.Equal([Berlin, NewYork], reminder.Calls.Select(c => c.Tenant));

        // The next morning in Berlin: reminded again, with the same reminder ids (nothing was checked in).
        clock.Reset(Instant.FromUtc(2026, 1, 13, 8, 5));
        Assert.Equal(1, await job.RunOnceAsync(default));
        Assert.Equal(reminder.Calls[0].Due.Select(d => d.Id), reminder.Calls[^1].Due.Select(d => d.Id));

        // A check-in ends the reminder: the next day, only the other key results remain.
        await okr.CheckIns.RecordAsync(Berlin, objectives[Berlin].KeyResults[0].Id, 1, OwnerRef.Person("p"));
        clock.Reset(Instant.FromUtc(2026, 1, 14, 8, 0));
        Assert.Equal(1, await job.RunOnceAsync(default));
        Assert.DoesNotContain(reminder.Calls[^1].Due, d => d.KeyResult.Id == objectives[Berlin].KeyResults[0].Id);
        Assert.Equal(2, reminder.Calls[^1].Due.Count);
    }

    [Fact]
    public async Task A_failing_tenant_is_tried_again_at_the_next_poll_and_does_not_stop_the_others()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        var reminder = new Recorder { FailFor = Berlin };
        await using var provider = Provider(clock, reminder);
        var okr = provider.GetRequiredService<OkrService>();
        await SeedAsync(okr, Berlin, clock);
        await SeedAsync(okr, NewYork, clock);
        var job = Job(provider);

        clock.Reset(Instant.FromUtc(2026, 1, 12, 15, 0));                    // past nine in both zones
        Assert.Equal(1, await job.RunOnceAsync(default));                    // New York went out; Berlin threw
        Assert.Equal([NewYork], reminder.Calls.Select(c => c.Tenant));

        reminder.FailFor = null;
        Assert.Equal(1, await job.RunOnceAsync(default));                    // Berlin, at the next poll; New York not again
        Assert.Equal([NewYork, Berlin], reminder.Calls.Select(c => c.Tenant));
    }

    [Fact]
    public void Bad_options_are_refused_when_the_job_is_added()
    {
        var bad = Assert.Throws<OkrValidationException>(() => new ServiceCollection().AddOkr(o => o.AddCheckInReminders<Recorder>(new CheckInReminderOptions { PollInterval = Duration.Zero })));
        Assert.Equal("PollInterval", Assert.Single(bad.Violations).Member);
        Assert.Equal((new LocalTime(9, 0), Duration.FromMinutes(1)), (new CheckInReminderOptions().At, new CheckInReminderOptions().PollInterval));
    }

    private static ServiceProvider Provider(FakeClock clock, Recorder reminder)
    {
        var services = new ServiceCollection();
        services.AddSingleton(reminder);
        services.AddOkr(o => o.UseClock(clock).UseTenantSettings(new Zones()).AddCheckInReminders<Recorder>());
        return services.BuildServiceProvider();
    }

    private static OkrCheckInReminderService Job(IServiceProvider provider) => provider.GetServices<IHostedService>().OfType<OkrCheckInReminderService>().Single();

    /// <summary>An active first quarter with one active objective of three key results, owed weekly on Mondays.</summary>
    private static async Task<Objective> SeedAsync(OkrService okr, TenantId tenant, IClock clock)
    {
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, quarter.Id);
        var krs = Enumerable.Range(1, 3).Select(i => new KeyResult(new KeyResultId(Guid.NewGuid()), $"KR {i}", new IncreaseMeasure(0, 10))).ToArray();
        var created = await okr.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), quarter.Id, "Grow", OwnerRef.Team("t"), clock, keyResults: krs));
        return await okr.Objectives.ActivateAsync(tenant, created.Id);
    }

    private sealed class Zones : IOkrTenantSettingsProvider
    {
        public ValueTask<OkrTenantSettings?> GetAsync(TenantId tenant, CancellationToken cancellationToken) =>
            ValueTask.FromResult<OkrTenantSettings?>(new OkrTenantSettings
            {
                TimeZone = DateTimeZoneProviders.Tzdb[tenant == Berlin ? "Europe/Berlin" : "America/New_York"],
                Cadence = CheckInCadence.Weekly(),
            });
    }

    private sealed class Recorder : ICheckInReminder
    {
        public List<(TenantId Tenant, OkrPeriod Period, IReadOnlyList<DueCheckIn> Due)> Calls { get; } = [];

        public TenantId? FailFor { get; set; }

        public ValueTask<IReadOnlyCollection<TenantId>> TenantsAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyCollection<TenantId>>([Berlin, NewYork]);

        public ValueTask RemindAsync(TenantId tenant, OkrPeriod period, IReadOnlyList<DueCheckIn> due, CancellationToken cancellationToken)
        {
            if (tenant == FailFor)
            {
                throw new InvalidOperationException("The mail server is down.");
            }

            Calls.Add((tenant, period, due));
            return ValueTask.CompletedTask;
        }
    }
}
