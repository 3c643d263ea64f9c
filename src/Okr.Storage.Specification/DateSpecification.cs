using NodaTime;
using Okr.Core;
using Okr.Core.Service;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

// Dates: every store keeps periods across the whole documented range (OkrPeriod.MinDate to OkrPeriod.MaxDate), and
// the facade works through days a time zone skips or repeats.
public abstract partial class OkrStoreSpecification
{
    /// <summary>Periods at both ends of the range round-trip; a day beyond either end cannot be a period.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Dates_at_the_ends_of_the_range_are_kept_and_beyond_them_refused() => WithStore(async store =>
    {
        var tenant = NewTenant();
        foreach (var dates in new[] { new DateInterval(OkrPeriod.MinDate, OkrPeriod.MinDate.PlusDays(89)), new DateInterval(OkrPeriod.MaxDate.PlusDays(-91), OkrPeriod.MaxDate), new DateInterval(OkrPeriod.MinDate, OkrPeriod.MaxDate) })
        {
            var period = new OkrPeriod(new PeriodId(Guid.NewGuid()), $"{dates.Start:uuuu}", dates);
            var stored = await store.SavePeriodAsync(tenant, period, 0);
            Assert.Equal(stored, await store.GetPeriodAsync(tenant, period.Id));
            Assert.Equal(dates, (await store.GetPeriodAsync(tenant, period.Id))!.Dates);
        }

        foreach (var dates in new[] { new DateInterval(OkrPeriod.MinDate.PlusDays(-1), OkrPeriod.MinDate), new DateInterval(OkrPeriod.MaxDate, OkrPeriod.MaxDate.PlusDays(1)), new DateInterval(new LocalDate(1, 1, 1), new LocalDate(1, 3, 31)), new DateInterval(new LocalDate(9999, 10, 1), new LocalDate(9999, 12, 31)) })
        {
            var error = Assert.Throws<OkrValidationException>(() => new OkrPeriod(new PeriodId(Guid.NewGuid()), "Out of range", dates));
            Assert.Equal(nameof(OkrPeriod.Dates), Assert.Single(error.Violations).Member);
        }
    });

    /// <summary>
    /// A period through Pacific/Apia's missing 2011-12-30, and one that ends the day before it, in a service in that
    /// zone: check-ins, summaries, status and close all work, and the period's instants skip the missing day.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Dates_a_day_the_time_zone_skips_is_no_error() => WithStore(async store =>
    {
        var apia = DateTimeZoneProviders.Tzdb["Pacific/Apia"];
        var december = new OkrPeriod(new PeriodId(Guid.NewGuid()), "2011-12", new DateInterval(new LocalDate(2011, 12, 1), new LocalDate(2011, 12, 31)));
        var untilTheGap = new OkrPeriod(new PeriodId(Guid.NewGuid()), "to 2011-12-29", new DateInterval(new LocalDate(2011, 12, 1), new LocalDate(2011, 12, 29)));
        Assert.Equal(new LocalDateTime(2011, 12, 31, 0, 0).InZoneStrictly(apia).ToInstant(), untilTheGap.InstantsIn(apia).End);
        Assert.Equal(new LocalDate(2012, 1, 1).AtStartOfDayInZone(apia).ToInstant(), december.InstantsIn(apia).End);

        var clock = new KitClock(Instant.FromUtc(2011, 12, 30, 12, 0));   // 2011-12-31 in Apia
        await PlayQuarterAsync(store, clock, apia, december);
        await PlayQuarterAsync(store, clock, apia, untilTheGap);
    });

    /// <summary>São Paulo's skipped midnight (2018-11-04) and Berlin's daylight-saving days (2026-03-29, 2026-10-25) as first and last days.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Dates_skipped_midnights_and_daylight_saving_days_bound_a_period() => WithStore(async store =>
    {
        var saoPaulo = DateTimeZoneProviders.Tzdb["America/Sao_Paulo"];
        var spring = new OkrPeriod(new PeriodId(Guid.NewGuid()), "from 2018-11-04", new DateInterval(new LocalDate(2018, 11, 4), new LocalDate(2019, 2, 15)));

        // Midnight did not happen; the day began at 01:00 local time (UTC−2).
        Assert.Equal(Instant.FromUtc(2018, 11, 4, 3, 0), spring.InstantsIn(saoPaulo).Start);
        await PlayQuarterAsync(store, new KitClock(Instant.FromUtc(2018, 12, 1, 12, 0)), saoPaulo, spring);

        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var summer = new OkrPeriod(new PeriodId(Guid.NewGuid()), "summer time 2026", new DateInterval(new LocalDate(2026, 3, 29), new LocalDate(2026, 10, 24)));
        Assert.Equal((Instant.FromUtc(2026, 3, 28, 23, 0), Instant.FromUtc(2026, 10, 24, 22, 0)), summer.InstantsIn(berlin));
        var autumn = new OkrPeriod(new PeriodId(Guid.NewGuid()), "to 2026-10-25", new DateInterval(new LocalDate(2026, 10, 1), new LocalDate(2026, 10, 25)));
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 23, 0), autumn.InstantsIn(berlin).End);   // the 25-hour day ends at midnight CET
        await PlayQuarterAsync(store, new KitClock(Instant.FromUtc(2026, 10, 25, 1, 30)), berlin, summer);   // in the repeated hour
        await PlayQuarterAsync(store, new KitClock(Instant.FromUtc(2026, 10, 25, 1, 30)), berlin, autumn);
    });

    /// <summary>Creates the period and an active objective, records a check-in, summarises, reads the status and closes it.</summary>
    private static async Task PlayQuarterAsync(IOkrStore store, KitClock clock, DateTimeZone zone, OkrPeriod period)
    {
        var tenant = NewTenant();
        var okr = new OkrService(store, clock, new OkrServiceOptions { TimeZone = zone });
        await okr.Periods.CreateAsync(tenant, period);
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var draft = Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Across the date line", OwnerRef.Team("ops"), clock, keyResults:
        [
            new KeyResult(new KeyResultId(Guid.NewGuid()), "Revenue", new IncreaseMeasure(100m, 200m)),
            new KeyResult(new KeyResultId(Guid.NewGuid()), "Churn", new DecreaseMeasure(5m, 2m)),
            new KeyResult(new KeyResultId(Guid.NewGuid()), "Launch", new MilestoneMeasure()),
        ]);
        var objective = await okr.Objectives.CreateAsync(tenant, draft);
        objective = await okr.Objectives.ActivateAsync(tenant, objective.Id);
        await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[0].Id, 150m, Author);
        var summary = await okr.Progress.SummarizeAsync(tenant, period.Id);
        Assert.Single(summary.Objectives);
        var status = await okr.Progress.GetObjectiveStatusAsync(tenant, objective.Id);
        Assert.Equal(3, status.KeyResults.Count);
        var assessment = await okr.Periods.CloseAsync(tenant, period.Id);
        Assert.Single(assessment.Objectives);
    }
}
