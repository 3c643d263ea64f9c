using NodaTime;
using Okr.Core.Alignment;
using Okr.Core.Health;
using Okr.Core.Scoring;

namespace Okr.Core.Service;

/// <summary>A period at a glance, or the part of it a <see cref="SummaryScope"/> selects.</summary>
public sealed class PeriodSummary
{
    internal PeriodSummary(OkrPeriod period, Instant at, double? score, IReadOnlyList<ObjectiveStatus> objectives, IReadOnlyList<AlignmentCoverage> coverage)
    {
        Period = period;
        At = at;
        Score = score;
        Objectives = objectives;
        Coverage = coverage;
    }

    /// <summary>The period.</summary>
    public OkrPeriod Period { get; }

    /// <summary>The instant the summary describes.</summary>
    public Instant At { get; }

    /// <summary>
    /// The score of what the summary shows (<see cref="OkrScoring.PeriodScore"/>): the roll-up (equal weights) of the shown
    /// objectives that contribute to no other shown objective. For the whole period, its top-level objectives; for a
    /// subtree, its root (and any objective under it linked only as support). Under an access policy a scope's score counts
    /// only what the actor may read (the whole period's follows <see cref="OkrServiceOptions.HiddenInRollups"/>). Null with no data.
    /// </summary>
    public double? Score { get; }

    /// <summary>The standing of every objective shown, in the order of the alignment tree (parents before children).</summary>
    public IReadOnlyList<ObjectiveStatus> Objectives { get; }

    /// <summary>How many of each owner's shown objectives are aligned to a parent.</summary>
    public IReadOnlyList<AlignmentCoverage> Coverage { get; }

    /// <summary>The scope the summary was taken with; <see cref="SummaryScope.WholePeriod"/> by default.</summary>
    public SummaryScope Scope { get; internal init; } = SummaryScope.WholePeriod;

    /// <summary>
    /// For a page (<see cref="SummaryScope.Limit"/>) with more objectives after it, the id to pass as
    /// <see cref="SummaryScope.After"/> for the next page; null on the last page.
    /// </summary>
    public ObjectiveId? NextAfter { get; internal init; }

    /// <summary>Key results that are at risk or off track.</summary>
    public IEnumerable<KeyResultStatus> AtRisk => Objectives.SelectMany(o => o.KeyResults).Where(k => k.Health.Status is HealthStatus.AtRisk or HealthStatus.OffTrack);

    /// <summary>Key results with no check-in for too long.</summary>
    public IEnumerable<KeyResultStatus> Stale => Objectives.SelectMany(o => o.KeyResults).Where(k => k.Health.Status == HealthStatus.Stale);
}
