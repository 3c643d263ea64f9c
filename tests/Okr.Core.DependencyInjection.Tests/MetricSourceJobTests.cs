using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Service;

namespace Okr.Core.DependencyInjection.Tests;

/// <summary>
/// The hosted metric source job, polled by hand under NodaTime's <see cref="FakeClock"/> (no sleeps): each source is read
/// on its own schedule for the key results bound to it, a reading is recorded once however often it is read, and a
/// failing source neither stops the others nor waits longer than a minute to be read again.
/// </summary>
public class MetricSourceJobTests
{
    private static readonly TenantId Tenant = new(Guid.NewGuid());

    [Fact]
    public async Task Sources_are_read_on_their_schedule_and_a_failing_one_stops_nothing()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        var crm = new Crm();
        var broken = new Broken();
        var services = new ServiceCollection();
        services.AddSingleton(crm).AddSingleton(broken);
        services.AddOkr(o => o.UseClock(clock).AddMetricSource<Crm>().AddMetricSource<Broken>());
        await using var provider = services.BuildServiceProvider();
        var okr = provider.GetRequiredService<OkrService>();
        var krs = await SeedAsync(okr, clock);
        var job = Assert.Single(provider.GetServices<IHostedService>().OfType<OkrMetricSourceService>());

        // 12 January: the CRM's figure is recorded; the broken source throws, and nothing stops.
        clock.Reset(Instant.FromUtc(2026, 1, 12, 9, 0));
        crm.Figure = new MetricValue(1500m, Instant.FromUtc(2026, 1, 12, 8, 0));
        Assert.Equal(1, await job.RunOnceAsync(default));
        Assert.Equal([1500m], (await okr.CheckIns.HistoryAsync(Tenant, krs[0])).Select(c => c.Value));
        Assert.Empty(await okr.CheckIns.HistoryAsync(Tenant, krs[1]));
        Assert.Equal((1, 1), (crm.Reads, broken.Reads));
        Assert.Equal(["pipeline"], crm.LastKeys);

        // The same poll a moment later: neither is due (the CRM hourly, the broken one retried after a minute).
        clock.Advance(Duration.FromSeconds(30));
        Assert.Equal(0, await job.RunOnceAsync(default));
        Assert.Equal((1, 1), (crm.Reads, broken.Reads));

        // A minute on, the broken source works again and is read; the CRM is not due yet.
        broken.Fails = false;
        clock.Advance(Duration.FromSeconds(31));
        Assert.Equal(1, await job.RunOnceAsync(default));
        Assert.Equal([42m], (await okr.CheckIns.HistoryAsync(Tenant, krs[1])).Select(c => c.Value));
        Assert.Equal((1, 2), (crm.Reads, broken.Reads));

        // An hour on, the CRM returns the same figure (same instant): read, not recorded again. Then a new one.
        clock.Advance(Duration.FromHours(1));
        Assert.Equal(0, await job.RunOnceAsync(default));
        Assert.Equal(2, crm.Reads);
        clock.Advance(Duration.FromHours(1));
        crm.Figure = new MetricValue(1620m, Instant.FromUtc(2026, 1, 12, 10, 30));
        Assert.Equal(1, await job.RunOnceAsync(default));
        var history = await okr.CheckIns.HistoryAsync(Tenant, krs[0]);
        Assert.Equal([1500m, 1620m], history.Select(c => c.Value));
        Assert.All(history, c => Assert.Equal(OwnerRef.Person("svc-crm"), c.Author));
        Assert.Empty(await okr.CheckIns.HistoryAsync(Tenant, krs[2]));   // unbound
    }

    private static async Task<KeyResultId[]> SeedAsync(OkrService okr, IClock clock)
    {
        var quarter = await okr.Periods.CreateAsync(Tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        await okr.Periods.ActivateAsync(Tenant, quarter.Id);
        KeyResult[] krs =
        [
            new KeyResult(new KeyResultId(Guid.NewGuid()), "Pipeline", new IncreaseMeasure(0, 5000)) { Metric = new MetricBinding("crm", "pipeline") },
            new KeyResult(new KeyResultId(Guid.NewGuid()), "Tickets", new IncreaseMeasure(0, 100)) { Metric = new MetricBinding("helpdesk", "solved") },
            new KeyResult(new KeyResultId(Guid.NewGuid()), "Unbound", new IncreaseMeasure(0, 10)),
        ];
        var created = await okr.Objectives.CreateAsync(Tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), quarter.Id, "Grow", OwnerRef.Team("sales"), clock, keyResults: krs));
        await okr.Objectives.ActivateAsync(Tenant, created.Id);
        return [.. krs.Select(k => k.Id)];
    }

    private sealed class Crm : IMetricSource
    {
        public MetricValue Figure { get; set; }

        public int Reads { get; private set; }

        public IReadOnlyCollection<string> LastKeys { get; private set; } = [];

        public string Name => "crm";

        public OwnerRef Owner => OwnerRef.Person("svc-crm");

        public Duration PollInterval => Duration.FromHours(1);

        public ValueTask<IReadOnlyCollection<TenantId>> TenantsAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyCollection<TenantId>>([Tenant]);

        public ValueTask<IReadOnlyDictionary<string, MetricValue>> ReadAsync(TenantId tenant, IReadOnlyCollection<string> keys, Instant asOf, CancellationToken cancellationToken)
        {
            Reads++;
            LastKeys = [.. keys];
            return ValueTask.FromResult<IReadOnlyDictionary<string, MetricValue>>(new Dictionary<string, MetricValue> { ["pipeline"] = Figure, ["unknown"] = Figure });
        }
    }

    private sealed class Broken : IMetricSource
    {
        public bool Fails { get; set; } = true;

        public int Reads { get; private set; }

        public string Name => "helpdesk";

        public OwnerRef Owner => OwnerRef.Person("svc-helpdesk");

        public Duration PollInterval => Duration.FromHours(6);

        public ValueTask<IReadOnlyCollection<TenantId>> TenantsAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyCollection<TenantId>>([Tenant]);

        public ValueTask<IReadOnlyDictionary<string, MetricValue>> ReadAsync(TenantId tenant, IReadOnlyCollection<string> keys, Instant asOf, CancellationToken cancellationToken)
        {
            Reads++;
            return Fails
                ? throw new InvalidOperationException("The helpdesk API is down.")
                : ValueTask.FromResult<IReadOnlyDictionary<string, MetricValue>>(new Dictionary<string, MetricValue> { ["solved"] = new(42m, asOf - Duration.FromMinutes(5)) });
        }
    }
}
