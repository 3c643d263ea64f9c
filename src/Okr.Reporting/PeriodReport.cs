using NodaTime;
using Okr.Core;
using Okr.Core.Alignment;
using Okr.Core.Health;
using Okr.Core.Service;

namespace Okr.Reporting;

/// <summary>An objective in the report's alignment tree, with the objectives aligned under it.</summary>
/// <param name="Status">The objective's progress and health.</param>
/// <param name="Children">The objectives aligned to it that the report shows, in title order.</param>
public sealed record ReportNode(ObjectiveStatus Status, IReadOnlyList<ReportNode> Children);

/// <summary>A point of a burn-up chart.</summary>
/// <param name="ElapsedShare">How far into the period, 0..1.</param>
/// <param name="Progress">The progress at that point (may exceed 1 for overachievement).</param>
public readonly record struct BurnUpPoint(double ElapsedShare, double Progress);

/// <summary>One key result's progress over the period against the expected pace.</summary>
/// <param name="Objective">The objective that holds the key result.</param>
/// <param name="KeyResult">The key result's status now.</param>
/// <param name="Actual">The progress after each check-in (corrections applied), oldest first.</param>
/// <param name="Expected">The expected pace from the health policy, from the start of the period to its end.</param>
public sealed record BurnUp(Objective Objective, KeyResultStatus KeyResult, IReadOnlyList<BurnUpPoint> Actual, IReadOnlyList<BurnUpPoint> Expected);

/// <summary>
/// Everything a period report shows, gathered once: the summary, the alignment tree, a burn-up per key result,
/// the at-risk and stale key results and alignment coverage. Render it with <see cref="MarkdownReport"/>,
/// <see cref="TerminalReport"/> or <see cref="HtmlReport"/>.
/// </summary>
public sealed class PeriodReport
{
    private const int ExpectedSamples = 24;

    private PeriodReport(PeriodSummary summary, IReadOnlyList<ReportNode> roots, IReadOnlyList<BurnUp> burnUps, DateTimeZone zone)
    {
        Summary = summary;
        Roots = roots;
        BurnUps = burnUps;
        _objectiveOf = summary.Objectives
            .SelectMany(o => o.KeyResults.Select(k => (k.Progress.KeyResult.Id, o.Progress.Objective)))
            .ToDictionary(x => x.Id, x => x.Objective);
        Zone = zone;
    }

    private readonly Dictionary<KeyResultId, Objective> _objectiveOf;

    /// <summary>The period summary the report is built from.</summary>
    public PeriodSummary Summary { get; }

    /// <summary>The period.</summary>
    public OkrPeriod Period => Summary.Period;

    /// <summary>When the report was taken.</summary>
    public Instant At => Summary.At;

    /// <summary>The organisation's time zone, in which dates are shown.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The objectives no shown objective is aligned above, each with its subtree, in title order.</summary>
    public IReadOnlyList<ReportNode> Roots { get; }

    /// <summary>A burn-up per key result (cancelled ones left out), in tree order.</summary>
    public IReadOnlyList<BurnUp> BurnUps { get; }

    /// <summary>Key results at risk or off track.</summary>
    public IReadOnlyList<KeyResultStatus> AtRisk => [.. Summary.AtRisk];

    /// <summary>Key results without a recent check-in.</summary>
    public IReadOnlyList<KeyResultStatus> Stale => [.. Summary.Stale];

    /// <summary>Alignment coverage per owner.</summary>
    public IReadOnlyList<AlignmentCoverage> Coverage => Summary.Coverage;

    /// <summary>Gathers a report of a period through the facade (so an actor sees only what they may read).</summary>
    /// <param name="okr">The service, or the service acting for someone (<see cref="OkrService.As"/>).</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist.</exception>
    public static async ValueTask<PeriodReport> CreateAsync(OkrService okr, TenantId tenant, PeriodId period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(okr);
        var summary = await okr.Progress.SummarizeAsync(tenant, period, cancellationToken: cancellationToken).ConfigureAwait(false);
        var zone = okr.Options.TimeZone;
        var byId = summary.Objectives.ToDictionary(s => s.Progress.Objective.Id);
        var children = summary.Objectives
            .SelectMany(s => s.Progress.Objective.Alignments.Select(a => (Parent: a.ParentObjectiveId, Child: s)))
            .Where(x => byId.ContainsKey(x.Parent))
            .ToLookup(x => x.Parent, x => x.Child);

        ReportNode Node(ObjectiveStatus s) => new(s, [.. children[s.Progress.Objective.Id].OrderBy(c => c.Progress.Objective.Title, StringComparer.Ordinal).Select(Node)]);
        var roots = summary.Objectives
            .Where(s => !s.Progress.Objective.Alignments.Any(a => byId.ContainsKey(a.ParentObjectiveId)))
            .OrderBy(s => s.Progress.Objective.Title, StringComparer.Ordinal)
            .Select(Node)
            .ToList();

        var expected = ExpectedPace(okr.Options.Health, summary.Period, zone);

        // Every check-in of the period in one read (not one query per key result), only of objectives the actor may
        // read; only the histories of key results the summary shows are used.
        var histories = (await okr.CheckIns.PeriodHistoryAsync(tenant, period, cancellationToken).ConfigureAwait(false)).ToLookup(c => c.KeyResultId);
        var burnUps = new List<BurnUp>();
        foreach (var status in Flatten(roots).Select(n => n.Status).DistinctBy(s => s.Progress.Objective.Id))
        {
            foreach (var kr in status.KeyResults.Where(k => !k.Progress.KeyResult.IsCancelled))
            {
                var history = histories[kr.Progress.KeyResult.Id].ToList();
                burnUps.Add(new BurnUp(status.Progress.Objective, kr, Actual(okr, kr.Progress.KeyResult, history, summary, zone), expected));
            }
        }

        return new PeriodReport(summary, roots, burnUps, zone);
    }

    /// <summary>The objective that holds a key result of the report.</summary>
    /// <param name="keyResult">A key result status from <see cref="Summary"/>.</param>
    /// <returns>The objective.</returns>
    public Objective ObjectiveOf(KeyResultStatus keyResult)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        return _objectiveOf[keyResult.Progress.KeyResult.Id];
    }

    /// <summary>Every node of the tree, parents before children.</summary>
    /// <param name="nodes">The roots.</param>
    /// <returns>The nodes, depth first.</returns>
    public static IEnumerable<ReportNode> Flatten(IEnumerable<ReportNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var node in nodes)
        {
            yield return node;
            foreach (var child in Flatten(node.Children))
            {
                yield return child;
            }
        }
    }

    private static List<BurnUpPoint> Actual(OkrService okr, KeyResult keyResult, IReadOnlyList<CheckIn> history, PeriodSummary summary, DateTimeZone zone)
    {
        var points = new List<BurnUpPoint>();
        if (keyResult.ProgressSource != ProgressSource.Measured)
        {
            return points;
        }

        // The value in force after each check-in took effect, corrections applied, as known at the report's instant.
        foreach (var at in history.Select(c => c.EffectiveAt).Where(i => i <= summary.At).Distinct().Order())
        {
            if (CheckInHistory.AsOf(history, at, summary.At) is { } inForce)
            {
                var share = PaceHealthPolicy.ElapsedShare(summary.Period, zone, at);
                points.Add(new BurnUpPoint(share, okr.Options.Scoring.Scoring.Score(keyResult, inForce.Value).Progress));
            }
        }

        return points;
    }

    private static List<BurnUpPoint> ExpectedPace(IHealthPolicy health, OkrPeriod period, DateTimeZone zone)
    {
        var (start, end) = period.InstantsIn(zone);
        var points = new List<BurnUpPoint>(ExpectedSamples + 1);
        for (var i = 0; i <= ExpectedSamples; i++)
        {
            var at = start + ((end - start) * i / ExpectedSamples);
            var verdict = health.Assess(new HealthContext(0, at, null, period, zone, at));
            points.Add(new BurnUpPoint(verdict.ElapsedShare, verdict.ExpectedProgress));
        }

        return points;
    }
}
