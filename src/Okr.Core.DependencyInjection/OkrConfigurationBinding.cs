using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NodaTime;
using Okr.Core.Health;
using Okr.Core.Rules;
using Okr.Core.Scoring;
using Okr.Core.Service;

namespace Okr.Core.DependencyInjection;

/// <summary>
/// Binds <see cref="OkrServiceOptions"/> from the <c>"Okr"</c> configuration section given to <c>AddOkr</c>, by hand
/// (no reflection binder: trimming- and AOT-safe). Keys, all optional:
/// <c>TimeZone</c> (TZDB id), <c>RequireChildPeriodInsideParent</c>, <c>HiddenInRollups</c> (Counted or Excluded),
/// <c>TenantSettingsCacheDuration</c> (d.hh:mm:ss),
/// <c>Rules</c> (<c>MinKeyResults</c>, <c>MaxKeyResults</c>, <c>MaxObjectiveTitleLength</c>, <c>CheckInGraceAfterEnd</c>, <c>MaxKeyResultTitleLength</c>, <c>SingleActivePeriodPerKind</c>),
/// <c>Health</c> (<c>Thresholds</c>: Difference with <c>AtRiskBelow</c>, <c>OffTrackBelow</c>, or Ratio with
/// <c>OnTrackAtLeast</c>, <c>AtRiskAtLeast</c>; <c>StaleAfter</c> as d.hh:mm:ss; <c>LowConfidenceBelow</c>) and
/// <c>Assessment</c> (<c>CommittedExpectation</c>, <c>AspirationalExpectation</c>), <c>Culture</c> (a culture name such as
/// de-DE) and <c>Cadence</c> (<c>Kind</c>: Weekly, EveryWeeks, Monthly or Dates; <c>Day</c>, <c>Weeks</c>,
/// <c>DayOfMonth</c>, <c>Dates</c> as comma-separated ISO dates, <c>GraceDays</c>). The store's settings are under
/// <c>Store</c> and bound by the store package.
/// </summary>
internal static class OkrConfigurationBinding
{
    public static OkrServiceOptions Bind(IConfiguration section, OkrServiceOptions options, List<string> problems)
    {
        var values = new ConfigurationValues(section, problems);
        if (values.String("TimeZone") is { } zoneId)
        {
            if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId.Trim()) is { } zone)
            {
                options = options with { TimeZone = zone };
            }
            else
            {
                values.Problem("TimeZone", $"'{zoneId}' is not a TZDB time zone id; use one such as \"Europe/Berlin\" or \"America/New_York\".");
            }
        }

        values.Bool(nameof(OkrServiceOptions.RequireChildPeriodInsideParent), v => options = options with { RequireChildPeriodInsideParent = v });
        values.Enum<HiddenObjectives>(nameof(OkrServiceOptions.HiddenInRollups), v => options = options with { HiddenInRollups = v });
        values.TimeSpan(nameof(OkrServiceOptions.TenantSettingsCacheDuration), v => options = options with { TenantSettingsCacheDuration = Duration.FromTimeSpan(v) });

        if (values.Section("Rules") is { } rules)
        {
            var r = new OkrRuleOptions();
            rules.Int(nameof(OkrRuleOptions.MinKeyResults), v => r = r with { MinKeyResults = v });
            rules.Int(nameof(OkrRuleOptions.MaxKeyResults), v => r = r with { MaxKeyResults = v });
            rules.Int(nameof(OkrRuleOptions.MaxObjectiveTitleLength), v => r = r with { MaxObjectiveTitleLength = v });
            rules.Int(nameof(OkrRuleOptions.MaxKeyResultTitleLength), v => r = r with { MaxKeyResultTitleLength = v });
            rules.TimeSpan(nameof(OkrRuleOptions.CheckInGraceAfterEnd), v => r = r with { CheckInGraceAfterEnd = Duration.FromTimeSpan(v) });
            rules.Bool(nameof(OkrRuleOptions.SingleActivePeriodPerKind), v => r = r with { SingleActivePeriodPerKind = v });
            Try(rules, () => options = options with { Rules = OkrRules.CreateDefault(r) });
        }

        if (values.Section("Health") is { } health)
        {
            BindHealth(health, ref options);
        }

        if (values.String(nameof(OkrServiceOptions.Culture)) is { } cultureName)
        {
            try
            {
                options = options with { Culture = System.Globalization.CultureInfo.GetCultureInfo(cultureName.Trim(), predefinedOnly: true) };
            }
            catch (System.Globalization.CultureNotFoundException)
            {
                values.Problem(nameof(OkrServiceOptions.Culture), $"'{cultureName}' is not a culture name; use one such as \"de-DE\" or \"nb-NO\".");
            }
        }

        if (values.Section(nameof(OkrServiceOptions.Cadence)) is { } cadence)
        {
            BindCadence(cadence, ref options);
        }

        if (values.Section("Assessment") is { } assessment)
        {
            var a = options.Assessment;
            assessment.Double(nameof(AssessmentOptions.CommittedExpectation), v => a = a with { CommittedExpectation = v });
            assessment.Double(nameof(AssessmentOptions.AspirationalExpectation), v => a = a with { AspirationalExpectation = v });
            options = options with { Assessment = a };
        }

        return options;
    }

    private static void BindHealth(ConfigurationValues health, ref OkrServiceOptions options)
    {
        var h = new HealthOptions();
        health.TimeSpan(nameof(HealthOptions.StaleAfter), v => h = h with { StaleAfter = Duration.FromTimeSpan(v) });
        health.Double(nameof(HealthOptions.LowConfidenceBelow), v => h = h with { LowConfidenceBelow = v });
        var kind = health.String(nameof(HealthOptions.Thresholds))?.Trim();
        if (kind is null || kind.Equals("Difference", StringComparison.OrdinalIgnoreCase))
        {
            var (atRisk, offTrack) = (0.2, 0.4);
            health.Double(nameof(DifferenceThresholds.AtRiskBelow), v => atRisk = v);
            health.Double(nameof(DifferenceThresholds.OffTrackBelow), v => offTrack = v);
            Try(health, () => h = h with { Thresholds = new DifferenceThresholds(atRisk, offTrack) });
        }
        else if (kind.Equals("Ratio", StringComparison.OrdinalIgnoreCase))
        {
            var (onTrack, atRisk) = (0.95, 0.75);
            health.Double(nameof(RatioThresholds.OnTrackAtLeast), v => onTrack = v);
            health.Double(nameof(RatioThresholds.AtRiskAtLeast), v => atRisk = v);
            Try(health, () => h = h with { Thresholds = new RatioThresholds(onTrack, atRisk) });
        }
        else
        {
            health.Problem(nameof(HealthOptions.Thresholds), $"'{kind}' is not Difference or Ratio.");
        }

        var built = options;
        Try(health, () => built = built with { Health = new PaceHealthPolicy(h) });
        options = built;
    }

    private static void BindCadence(ConfigurationValues cadence, ref OkrServiceOptions options)
    {
        var (day, weeks, dayOfMonth, grace) = (IsoDayOfWeek.Monday, 1, 1, 0);
        cadence.Enum<IsoDayOfWeek>(nameof(CheckInCadence.Day), v => day = v);
        cadence.Int(nameof(CheckInCadence.Weeks), v => weeks = v);
        cadence.Int(nameof(CheckInCadence.DayOfMonth), v => dayOfMonth = v);
        cadence.Int(nameof(CheckInCadence.GraceDays), v => grace = v);
        var dates = new List<LocalDate>();
        foreach (var text in (cadence.String(nameof(CheckInCadence.Dates)) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (NodaTime.Text.LocalDatePattern.Iso.Parse(text) is { Success: true } parsed)
            {
                dates.Add(parsed.Value);
            }
            else
            {
                cadence.Problem(nameof(CheckInCadence.Dates), $"'{text}' is not an ISO date such as 2026-02-02.");
            }
        }

        var kind = cadence.String(nameof(CheckInCadence.Kind))?.Trim();
        Func<CheckInCadence>? make = kind?.ToUpperInvariant() switch
        {
            "WEEKLY" => () => CheckInCadence.Weekly(day, grace),
            "EVERYWEEKS" => () => CheckInCadence.EveryWeeks(weeks, day, grace),
            "MONTHLY" => () => CheckInCadence.Monthly(dayOfMonth, grace),
            "DATES" => () => CheckInCadence.OnDates(dates, grace),
            _ => null,
        };
        if (make is null)
        {
            cadence.Problem(nameof(CheckInCadence.Kind), $"'{kind}' is not Weekly, EveryWeeks, Monthly or Dates.");
            return;
        }

        var built = options;
        Try(cadence, () => built = built with { Cadence = make() });
        options = built;
    }

    /// <summary>Runs a constructor that validates, turning its violations into problems under the section's path.</summary>
    private static void Try(ConfigurationValues section, Action build)
    {
        try
        {
            build();
        }
        catch (OkrValidationException ex)
        {
            foreach (var v in ex.Violations)
            {
                section.Problem(v.Member, v.Message);
            }
        }
    }
}

/// <summary>
/// The checks every <see cref="OkrServiceOptions"/> must pass, whoever set them: a missing policy, or an expectation at
/// close outside 0..1. Hosts may add their own <see cref="IValidateOptions{TOptions}"/>; every failure is reported.
/// </summary>
internal sealed class OkrServiceOptionsValidator : IValidateOptions<OkrServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, OkrServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Required(options.Rules, nameof(options.Rules));
        Required(options.Scoring, nameof(options.Scoring));
        Required(options.Health, nameof(options.Health));
        Required(options.TimeZone, nameof(options.TimeZone));
        if (Required(options.Assessment, nameof(options.Assessment)))
        {
            Expectation(options.Assessment.CommittedExpectation, nameof(AssessmentOptions.CommittedExpectation));
            Expectation(options.Assessment.AspirationalExpectation, nameof(AssessmentOptions.AspirationalExpectation));
        }

        if (options.TenantSettingsCacheDuration < Duration.Zero)
        {
            failures.Add($"TenantSettingsCacheDuration: must not be negative; it is {options.TenantSettingsCacheDuration}.");
        }

        if (!Enum.IsDefined(options.HiddenInRollups))
        {
            failures.Add($"HiddenInRollups: {(int)options.HiddenInRollups} is not Counted or Excluded.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        bool Required(object? value, string member)
        {
            if (value is null)
            {
                failures.Add($"{member}: required.");
            }

            return value is not null;
        }

        void Expectation(double value, string member)
        {
            if (!double.IsFinite(value) || value < 0 || value > 1)
            {
                failures.Add($"Assessment:{member}: must lie between 0 and 1; it is {value}.");
            }
        }
    }
}
