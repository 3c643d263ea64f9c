using NodaTime;
using NodaTime.Testing;
using Okr.Core.Health;
using Okr.Core.Rules;
using Okr.Core.Scoring;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>Each tenant's own time zone, rules, scoring, health and assessment, over the process-wide settings, with a cache.</summary>
public class TenantSettingsTests
{
    // A two-day sprint: a day's offset between two zones is a quarter of it.
    private static readonly LocalDate Start = new(2026, 3, 2);
    private static readonly Instant Noon = Instant.FromUtc(2026, 3, 3, 0, 0);

    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 3, 1, 9, 0));
    private readonly TenantId _kiritimati = new(Guid.NewGuid());   // UTC+14: the sprint began 14 hours before it did in UTC
    private readonly TenantId _honolulu = new(Guid.NewGuid());     // UTC-10: 10 hours after
    private readonly TenantId _plain = new(Guid.NewGuid());        // no settings of its own: the process-wide UTC

    private (OkrService Okr, Provider Provider) Service(Duration? cache = null)
    {
        var provider = new Provider(new()
        {
            [_kiritimati] = new OkrTenantSettings { TimeZone = DateTimeZoneProviders.Tzdb["Pacific/Kiritimati"], Assessment = new AssessmentOptions { AspirationalExpectation = 0.5 } },
            [_honolulu] = new OkrTenantSettings { TimeZone = DateTimeZoneProviders.Tzdb["Pacific/Honolulu"], Rules = OkrRules.CreateDefault(new OkrRuleOptions { MaxKeyResults = 3 }) },
        });
        var options = new OkrServiceOptions { TenantSettings = provider, TenantSettingsCacheDuration = cache ?? Duration.FromMinutes(5) };
        return (new OkrService(new InMemoryOkrStore(), _clock, options), provider);
    }

    private int _sprints;

    /// <summary>The same sprint and the same check-in in each tenant; returns the objective.</summary>
    private async Task<Objective> SprintAsync(OkrService okr, TenantId tenant, int keyResults = 3)
    {
        var sprint = await okr.Periods.CreateAsync(tenant, OkrPeriod.Custom(PeriodId.New(_clock), $"Sprint {++_sprints}", Start, Start.PlusDays(1)));
        await okr.Periods.ActivateAsync(tenant, sprint.Id);
        var krs = Enumerable.Range(0, keyResults).Select(i => new KeyResult(KeyResultId.New(_clock), $"KR {i}", new IncreaseMeasure(0, 100))).ToList();
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(_clock), sprint.Id, "Ship", OwnerRef.Team("t"), _clock, kind: ObjectiveKind.Aspirational, keyResults: krs));
        await okr.Objectives.ActivateAsync(tenant, objective.Id);
        _clock.Reset(Noon - Duration.FromHours(1));
        await okr.CheckIns.RecordManyAsync(tenant, [.. krs.Select(k => new CheckIn(CheckInId.New(_clock), k.Id, 55, OwnerRef.Person("p"), _clock.GetCurrentInstant(), _clock.GetCurrentInstant()))]);
        _clock.Reset(Noon);
        return objective;
    }

    [Fact]
    public async Task Two_tenants_in_different_zones_see_different_elapsed_shares_and_health_at_the_same_instant()
    {
        var (okr, _) = Service();
        var east = await SprintAsync(okr, _kiritimati);
        var west = await SprintAsync(okr, _honolulu);
        var utc = await SprintAsync(okr, _plain);

        // At 00:00 UTC on the sprint's second day: 38 of 48 hours gone in Kiritimati, 14 in Honolulu, 24 in UTC.
        var eastStatus = (await okr.Progress.SummarizeAsync(_kiritimati, east.PeriodId)).Objectives.Single();
        var westStatus = (await okr.Progress.SummarizeAsync(_honolulu, west.PeriodId)).Objectives.Single();
        var utcStatus = await okr.Progress.GetObjectiveStatusAsync(_plain, utc.Id);
        Assert.Equal(38.0 / 48, eastStatus.Health.ElapsedShare, 12);
        Assert.Equal(14.0 / 48, westStatus.Health.ElapsedShare, 12);
        Assert.Equal(24.0 / 48, utcStatus.Health.ElapsedShare, 12);

        // Progress 0.55 against the pace: behind by 0.24 in Kiritimati (at risk), ahead in Honolulu and UTC.
        Assert.Equal(HealthStatus.AtRisk, eastStatus.Health.Status);
        Assert.Equal(HealthStatus.OnTrack, westStatus.Health.Status);
        Assert.All(eastStatus.KeyResults, k => Assert.Equal(HealthStatus.AtRisk, k.Health.Status));
        Assert.All(westStatus.KeyResults, k => Assert.Equal(HealthStatus.OnTrack, k.Health.Status));

        // The forecast takes the tenant's zone too (the report's is held in the reporting tests).
        var forecast = (await okr.Progress.GetObjectiveStatusAsync(_kiritimati, east.Id)).KeyResults[0].Forecast!;
        var utcForecast = utcStatus.KeyResults[0].Forecast!;
        Assert.NotEqual(utcForecast, forecast);
    }

    [Fact]
    public async Task Grades_and_rules_are_the_tenants_own()
    {
        var (okr, _) = Service();
        var east = await SprintAsync(okr, _kiritimati);
        var utc = await SprintAsync(okr, _plain);

        // Graded 0.55 in both: met against Kiritimati's aspirational expectation of 0.5, missed against the default 0.7.
        var eastClose = Assert.Single((await okr.Periods.CloseAsync(_kiritimati, east.PeriodId)).Objectives);
        var utcClose = Assert.Single((await okr.Periods.CloseAsync(_plain, utc.PeriodId)).Objectives);
        Assert.Equal((0.55, 0.5, true), (Math.Round(eastClose.Grade.Value, 12), eastClose.Expected, eastClose.Met));
        Assert.Equal((0.55, 0.7, false), (Math.Round(utcClose.Grade.Value, 12), utcClose.Expected, utcClose.Met));

        // Honolulu allows three key results; the process-wide rules five.
        var four = await Assert.ThrowsAsync<OkrValidationException>(() => SprintAsync(okr, _honolulu, keyResults: 4));
        Assert.Contains("3", Assert.Single(four.Violations).Message, StringComparison.Ordinal);
        await SprintAsync(okr, _plain, keyResults: 4);
    }

    [Fact]
    public async Task Settings_are_asked_once_per_tenant_until_they_expire_or_are_invalidated_and_shared_with_acting_services()
    {
        var (okr, provider) = Service(Duration.FromMinutes(5));
        var east = await SprintAsync(okr, _kiritimati);
        await okr.Progress.SummarizeAsync(_kiritimati, east.PeriodId);   // the last answer is an hour old: asked again
        var asked = provider.Asked(_kiritimati);

        await okr.Progress.SummarizeAsync(_kiritimati, east.PeriodId);
        await okr.As(OwnerRef.Person("ann")).Progress.SummarizeAsync(_kiritimati, east.PeriodId);
        Assert.Equal(asked, provider.Asked(_kiritimati));

        // The host changes the tenant's zone: seen after the cache expires, or at once after an invalidation.
        provider.Settings[_kiritimati] = provider.Settings[_kiritimati] with { TimeZone = DateTimeZone.Utc };
        Assert.Equal("Pacific/Kiritimati", (await okr.OptionsForAsync(_kiritimati)).TimeZone.Id);
        okr.As(OwnerRef.Person("ann")).InvalidateTenantSettings(_kiritimati);
        Assert.Equal("UTC", (await okr.OptionsForAsync(_kiritimati)).TimeZone.Id);
        Assert.Equal(asked + 1, provider.Asked(_kiritimati));

        provider.Settings[_kiritimati] = provider.Settings[_kiritimati] with { TimeZone = DateTimeZoneProviders.Tzdb["Asia/Tokyo"] };
        _clock.Advance(Duration.FromMinutes(5) - Duration.Epsilon);
        Assert.Equal("UTC", (await okr.OptionsForAsync(_kiritimati)).TimeZone.Id);
        _clock.Advance(Duration.Epsilon);
        Assert.Equal("Asia/Tokyo", (await okr.OptionsForAsync(_kiritimati)).TimeZone.Id);
        Assert.Equal(asked + 2, provider.Asked(_kiritimati));

        // Five minutes by default.
        Assert.Equal(Duration.FromMinutes(5), new OkrServiceOptions().TenantSettingsCacheDuration);

        // A tenant without settings of its own gets the process-wide options; with no cache the provider is asked every call.
        Assert.Equal(okr.Options, await okr.OptionsForAsync(_plain));
        var (uncached, counting) = Service(Duration.Zero);
        await uncached.OptionsForAsync(_honolulu);
        await uncached.OptionsForAsync(_honolulu);
        Assert.Equal(2, counting.Asked(_honolulu));
    }

    [Fact]
    public async Task Invalid_settings_from_the_provider_are_named_with_the_tenant_and_nothing_is_written()
    {
        var (okr, provider) = Service();
        var sprint = await okr.Periods.CreateAsync(_plain, OkrPeriod.Custom(PeriodId.New(_clock), "S", Start, Start.PlusDays(1)));
        provider.Settings[_plain] = new OkrTenantSettings { Assessment = new AssessmentOptions { CommittedExpectation = 1.5 } };
        okr.InvalidateTenantSettings(_plain);   // the period's rules were read (and cached) when it was created
        var draft = Objective.Create(ObjectiveId.New(_clock), sprint.Id, "Ship", OwnerRef.Team("t"), _clock);
        var error = await Assert.ThrowsAsync<OkrValidationException>(() => okr.Objectives.CreateAsync(_plain, draft).AsTask());
        Assert.Equal($"TenantSettings[{_plain}].Assessment.CommittedExpectation", Assert.Single(error.Violations).Member);
        await Assert.ThrowsAsync<OkrNotFoundException>(() => okr.Objectives.GetAsync(_plain, draft.Id).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => okr.OptionsForAsync(default).AsTask());
    }

    private sealed class Provider(Dictionary<TenantId, OkrTenantSettings> settings) : IOkrTenantSettingsProvider
    {
        private readonly Dictionary<TenantId, int> _asked = [];

        public Dictionary<TenantId, OkrTenantSettings> Settings { get; } = settings;

        public int Asked(TenantId tenant) => _asked.GetValueOrDefault(tenant);

        public ValueTask<OkrTenantSettings?> GetAsync(TenantId tenant, CancellationToken cancellationToken)
        {
            _asked[tenant] = Asked(tenant) + 1;
            return ValueTask.FromResult(Settings.GetValueOrDefault(tenant));
        }
    }
}
