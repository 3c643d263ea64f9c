using NodaTime;
using Okr.Core.Health;
using Okr.Core.Rules;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>
/// One tenant's own settings, over the process-wide <see cref="OkrServiceOptions"/>: a member left null keeps the
/// process-wide value. Supplied by the host's <see cref="IOkrTenantSettingsProvider"/>.
/// </summary>
public sealed record OkrTenantSettings
{
    /// <summary>The tenant's time zone: when its period days begin and end (elapsed share, health, forecasts, report axes).</summary>
    public DateTimeZone? TimeZone { get; init; }

    /// <summary>The rules checked before the tenant's writes.</summary>
    public OkrRules? Rules { get; init; }

    /// <summary>Scoring and roll-up of the tenant's objectives.</summary>
    public OkrScoring? Scoring { get; init; }

    /// <summary>How the tenant's key results and objectives are judged.</summary>
    public IHealthPolicy? Health { get; init; }

    /// <summary>What counts as meeting an objective when the tenant's periods close.</summary>
    public AssessmentOptions? Assessment { get; init; }

    /// <summary>The tenant's culture: the language, numbers and dates its reports render in when the caller gives none.</summary>
    public System.Globalization.CultureInfo? Culture { get; init; }

    /// <summary>The tenant's check-in cadence: what a key result follows when nothing nearer sets one (docs/cadence.md).</summary>
    public CheckInCadence? Cadence { get; init; }

    /// <summary>The cadences of owners (a team checks in every two weeks); they win over the tenant's and the aligned objectives'.</summary>
    public IReadOnlyDictionary<OwnerRef, CheckInCadence>? OwnerCadences { get; init; }
}
