using NodaTime;
using Okr.Core.Health;
using Okr.Core.Rules;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>The policies an <see cref="OkrService"/> applies. Every member has a sensible default.</summary>
public sealed record OkrServiceOptions
{
    /// <summary>
    /// Where each tenant's own time zone, rules, scoring, health and assessment come from; null (the default): every
    /// tenant uses the settings here. A tenant's settings apply to everything done in it: writes, summaries, health,
    /// forecasts, grades and reports (<see cref="OkrService.OptionsForAsync"/>).
    /// </summary>
    public IOkrTenantSettingsProvider? TenantSettings { get; init; }

    /// <summary>
    /// How long a tenant's settings are kept after they were asked for (by the service's clock); 5 minutes by default.
    /// <see cref="Duration.Zero"/> asks the provider on every call. <see cref="OkrService.InvalidateTenantSettings(TenantId)"/>
    /// drops one tenant's at once.
    /// </summary>
    public Duration TenantSettingsCacheDuration { get; init; } = Duration.FromMinutes(5);

    /// <summary>
    /// Makes the "Okr.Core" <see cref="System.Diagnostics.Metrics.Meter"/> the service records on (the DI package passes
    /// the host's); null (the default): a meter of the library's own, shared by every service without a factory.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }

    /// <summary>The rules checked before every write; <see cref="OkrRules.Default"/> by default.</summary>
    public OkrRules Rules { get; init; } = OkrRules.Default;

    /// <summary>Scoring and roll-up; <see cref="OkrScoring.Default"/> by default.</summary>
    public OkrScoring Scoring { get; init; } = OkrScoring.Default;

    /// <summary>Health; <see cref="PaceHealthPolicy.Default"/> by default.</summary>
    public IHealthPolicy Health { get; init; } = PaceHealthPolicy.Default;

    /// <summary>What counts as meeting an objective at close.</summary>
    public AssessmentOptions Assessment { get; init; } = new();

    /// <summary>The organisation's time zone: it decides when period days begin; UTC by default.</summary>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;

    /// <summary>
    /// The check-in cadence a key result follows when nothing nearer sets one (its own, its owner's, its objective's,
    /// an objective it is aligned under); none by default, when only cadences set nearer make check-ins due
    /// (<see cref="OkrCheckIns.DueAsync"/>, docs/cadence.md).
    /// </summary>
    public CheckInCadence? Cadence { get; init; }

    /// <summary>
    /// The organisation's culture: the language, numbers and dates reports render in when the caller gives none
    /// (Okr.Reporting ships English, German, French and Norwegian Bokmål); null (the default) for English with
    /// culture-invariant numbers and ISO dates.
    /// </summary>
    public System.Globalization.CultureInfo? Culture { get; init; }

    /// <summary>The cadences of owners, which win over the tenant's and the aligned objectives'; none by default.</summary>
    public IReadOnlyDictionary<OwnerRef, CheckInCadence>? OwnerCadences { get; init; }

    /// <summary>Whether a child objective's period must lie inside its parent's; true by default.</summary>
    public bool RequireChildPeriodInsideParent { get; init; } = true;

    /// <summary>
    /// How an acting person's summaries count objectives they may not read. <see cref="HiddenObjectives.Counted"/> (the
    /// default): a parent's progress is the organisation's truth, hidden children included, but no figure of a hidden
    /// child is shown (the parent's progress from its aligned objectives, and a key result fed by them, read as no
    /// data). <see cref="HiddenObjectives.Excluded"/>: progress and the period score are computed from what the person
    /// can see. A period close always grades from everything.
    /// </summary>
    public HiddenObjectives HiddenInRollups { get; init; } = HiddenObjectives.Counted;

    /// <summary>
    /// Who may read and write which owner's objectives, asked for every call made through
    /// <see cref="OkrService.As"/>; null (the default) allows everything. Calls on the root service act as the
    /// system and are never checked.
    /// </summary>
    public Access.IOkrAccessPolicy? AccessPolicy { get; init; }
}
