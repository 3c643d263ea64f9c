using NodaTime;
using Okr.Core.Health;
using Okr.Core.Rules;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>The policies an <see cref="OkrService"/> applies. Every member has a sensible default.</summary>
public sealed record OkrServiceOptions
{
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

    /// <summary>Whether a child objective's period must lie inside its parent's; true by default.</summary>
    public bool RequireChildPeriodInsideParent { get; init; } = true;

    /// <summary>
    /// Who may read and write which owner's objectives, asked for every call made through
    /// <see cref="OkrService.As"/>; null (the default) allows everything. Calls on the root service act as the
    /// system and are never checked.
    /// </summary>
    public Access.IOkrAccessPolicy? AccessPolicy { get; init; }
}

/// <summary>A person's adjustment of a computed grade when a period closes.</summary>
/// <param name="Value">The grade that stands, 0..1.</param>
/// <param name="By">Who adjusts it.</param>
/// <param name="Reason">Why.</param>
public sealed record GradeOverride(double Value, OwnerRef By, string Reason);
