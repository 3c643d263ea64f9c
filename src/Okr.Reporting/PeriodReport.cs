using NodaTime;
using Okr.Core;
using Okr.Core.Alignment;
using Okr.Core.Events;
using Okr.Core.Health;
using Okr.Core.Scoring;
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

/// <summary>What a chart's reference line is.</summary>
public enum ChartLine
{
    /// <summary>The expected pace from the health policy: progress should grow along it (increase, decrease, staged and milestone measures).</summary>
    Pace = 0,

    /// <summary>A line to hold all period long: a threshold or range measure is met (100 %) when its value stays at or above, at or below, or within its line.</summary>
    Hold = 1,
}

/// <summary>One key result's progress over the period against its reference line.</summary>
/// <param name="Objective">The objective that holds the key result.</param>
/// <param name="KeyResult">The key result's status now.</param>
/// <param name="Actual">The progress after each check-in (corrections applied), oldest first.</param>
/// <param name="Expected">The reference line from the start of the period to its end: the expected pace, or 100 % to hold (<see cref="Line"/>).</param>
public sealed record BurnUp(Objective Objective, KeyResultStatus KeyResult, IReadOnlyList<BurnUpPoint> Actual, IReadOnlyList<BurnUpPoint> Expected)
{
    /// <summary>What <see cref="Expected"/> is: a pace to follow, or a line to hold.</summary>
    public ChartLine Line { get; init; } = ChartLine.Pace;
}

/// <summary>Which key results a report draws a chart for.</summary>
public enum ChartSelection
{
    /// <summary>
    /// Where a reader looks (the default): the key results of the report's top objectives, then those at risk or off
    /// track nearest the top, up to <see cref="ReportOptions.MaxCharts"/>. After a close: the top objectives' key results.
    /// </summary>
    TopLevelAndAtRisk = 0,

    /// <summary>Every key result shown (not cancelled).</summary>
    All = 1,

    /// <summary>No charts.</summary>
    None = 2,
}

/// <summary>Looks up the names people know owners by (a person's name, a team's name) in the host's directory.</summary>
public interface IOwnerDirectory
{
    /// <summary>The display names of owners, in one call for a whole report.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="owners">The owners the report shows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A name per owner the directory knows; the report shows the others by reference (<c>team:T001</c>).</returns>
    ValueTask<IReadOnlyDictionary<OwnerRef, string>> GetDisplayNamesAsync(TenantId tenant, IReadOnlyCollection<OwnerRef> owners, CancellationToken cancellationToken = default);
}

/// <summary>What a report shows and how it names owners.</summary>
public sealed record ReportOptions
{
    /// <summary>The whole period, charts where a reader looks, owners by reference.</summary>
    public static ReportOptions Default { get; } = new();

    /// <summary>Which objectives: a subtree, owners, the top levels (a company report: <c>new SummaryScope { Levels = 3 }</c>); the whole period when null.</summary>
    public SummaryScope? Scope { get; init; }

    /// <summary>Where owners' display names come from; owners are shown by reference when null.</summary>
    public IOwnerDirectory? Owners { get; init; }

    /// <summary>
    /// Key result rows for the objectives of the top this-many levels of the report (≥ 1); deeper objectives show their own
    /// line, whose progress and health already sum up their key results. Every level when null.
    /// </summary>
    public int? KeyResultLevels { get; init; }

    /// <summary>
    /// A company report: the top <paramref name="levels"/> levels of the alignment tree, key result rows for all but the
    /// deepest, charts where a reader looks. For the 1,500-objective tenant of the tests, three levels come to under a
    /// megabyte of HTML (<c>CompanyReportTests</c>).
    /// </summary>
    /// <param name="levels">How many levels, 1..<see cref="SummaryScope.MaxLevels"/>; 3 by default.</param>
    /// <param name="owners">Where owners' display names come from, or null.</param>
    /// <returns>The options.</returns>
    public static ReportOptions Company(int levels = 3, IOwnerDirectory? owners = null) => new()
    {
        Scope = new SummaryScope { Levels = levels },
        KeyResultLevels = Math.Max(1, levels - 1),
        Owners = owners,
    };

    /// <summary>Which key results get a chart.</summary>
    public ChartSelection Charts { get; init; } = ChartSelection.TopLevelAndAtRisk;

    /// <summary>The most charts <see cref="ChartSelection.TopLevelAndAtRisk"/> draws (≥ 0); 60 by default.</summary>
    public int MaxCharts { get; init; } = 60;

    /// <summary>The most rows of each key result list (at risk, stale, missed), worst first (≥ 1); 100 by default. The rest are counted.</summary>
    public int MaxListed { get; init; } = 100;

    /// <summary>Checks the options.</summary>
    /// <exception cref="OkrValidationException">A limit is out of range, or the scope is invalid.</exception>
    public void Validate()
    {
        var violations = new List<OkrViolation>();
        if (MaxCharts < 0)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.OutOfRange, nameof(MaxCharts), $"MaxCharts must be at least 0; it is {MaxCharts}."));
        }

        if (KeyResultLevels < 1)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.OutOfRange, nameof(KeyResultLevels), $"KeyResultLevels must be at least 1 (or null for every level); it is {KeyResultLevels}."));
        }

        if (MaxListed < 1)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.OutOfRange, nameof(MaxListed), $"MaxListed must be at least 1; it is {MaxListed}."));
        }

        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }

        Scope?.Validate();
    }
}

/// <summary>An objective's final grade as a report shows it.</summary>
/// <param name="Grade">The grade that stands, with the computed one and any override (who and why).</param>
/// <param name="Expected">The grade the objective's kind is expected to reach (<see cref="AssessmentOptions"/>).</param>
public sealed record ReportGrade(FinalGrade Grade, double Expected)
{
    /// <summary>Whether the grade that stands reaches the expectation.</summary>
    public bool Met => Grade.Value >= Expected - 1e-9;
}

/// <summary>A list of a report, cut to <see cref="ReportOptions.MaxListed"/> rows.</summary>
/// <typeparam name="T">The rows.</typeparam>
/// <param name="Rows">The rows shown, worst first.</param>
/// <param name="More">How many more there are.</param>
public sealed record ReportList<T>(IReadOnlyList<T> Rows, int More)
{
    /// <summary>All rows, shown and not.</summary>
    public int Total => Rows.Count + More;
}

/// <summary>
/// Everything a period report shows, gathered once: the summary (of the whole period or of a scope), the alignment
/// tree, charts where a reader looks, the at-risk and stale key results while the period runs, the grades once it is
/// closed, and alignment coverage. Render it with <see cref="MarkdownReport"/>, <see cref="TerminalReport"/> or
/// <see cref="HtmlReport"/>.
/// </summary>
public sealed class PeriodReport
{
    /// <summary>The "Okr.Core" activity source, as the facade's: a report is one more operation of the library.</summary>
    private static readonly System.Diagnostics.ActivitySource Telemetry = new(OkrTelemetry.Name);

    private const int ExpectedSamples = 24;

    private readonly Dictionary<KeyResultId, Objective> _objectiveOf;
    private readonly IReadOnlyDictionary<OwnerRef, string> _names;
    private readonly AssessmentOptions _assessment;

    // The lists, each sorted once on first use (renderers and callers read them several times).
    private IReadOnlyList<KeyResultStatus>? _atRisk;
    private IReadOnlyList<KeyResultStatus>? _stale;
    private IReadOnlyList<ObjectiveStatus>? _missed;
    private IReadOnlyList<ObjectiveStatus>? _overridden;

    private PeriodReport(PeriodSummary summary, IReadOnlyList<ReportNode> roots, IReadOnlyList<BurnUp> burnUps, DateTimeZone zone, ReportOptions options, IReadOnlyDictionary<OwnerRef, string> names, AssessmentOptions assessment, System.Globalization.CultureInfo? culture)
    {
        Culture = culture;
        Summary = summary;
        Roots = roots;
        BurnUps = burnUps;
        _objectiveOf = summary.Objectives
            .SelectMany(o => o.KeyResults.Select(k => (k.Progress.KeyResult.Id, o.Progress.Objective)))
            .ToDictionary(x => x.Id, x => x.Objective);
        Zone = zone;
        Options = options;
        _names = names;
        _assessment = assessment;
    }

    /// <summary>The period summary the report is built from.</summary>
    public PeriodSummary Summary { get; }

    /// <summary>The options the report was gathered with.</summary>
    public ReportOptions Options { get; }

    /// <summary>The period.</summary>
    public OkrPeriod Period => Summary.Period;

    /// <summary>When the report was taken.</summary>
    public Instant At => Summary.At;

    /// <summary>The organisation's time zone, in which dates are shown.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>
    /// The tenant's culture (<see cref="OkrServiceOptions.Culture"/>, <see cref="OkrTenantSettings.Culture"/>): what the
    /// renderers use when the caller gives no culture; null for English with invariant numbers and ISO dates.
    /// </summary>
    public System.Globalization.CultureInfo? Culture { get; }

    /// <summary>
    /// Whether the period is closed (or archived): the report then shows grades, overrides and met or missed, and no
    /// live health (a closed period is not on or off track any more).
    /// </summary>
    public bool IsClosed => Period.State is PeriodState.Closed or PeriodState.Archived;

    /// <summary>The objectives no shown objective is aligned above, each with its subtree, in title order.</summary>
    public IReadOnlyList<ReportNode> Roots { get; }

    /// <summary>The charts (<see cref="ReportOptions.Charts"/>), in tree order.</summary>
    public IReadOnlyList<BurnUp> BurnUps { get; }

    /// <summary>Key results at risk or off track, furthest behind first; none once the period is closed.</summary>
    public IReadOnlyList<KeyResultStatus> AtRisk => _atRisk ??= IsClosed ? [] : [.. Summary.AtRisk.OrderBy(k => (k.Progress.Progress ?? 0) - k.Health.ExpectedProgress).ThenBy(k => k.Progress.KeyResult.Id)];

    /// <summary>Key results without a recent check-in; none once the period is closed.</summary>
    public IReadOnlyList<KeyResultStatus> Stale => _stale ??= IsClosed ? [] : [.. Summary.Stale];

    /// <summary>The graded objectives that missed their expectation, lowest grade first (empty while nothing is graded).</summary>
    public IReadOnlyList<ObjectiveStatus> Missed => _missed ??=
        [.. Summary.Objectives.Where(s => GradeOf(s.Progress.Objective) is { Met: false }).OrderBy(s => s.Progress.Objective.Grade!.Value).ThenBy(s => s.Progress.Objective.Id)];

    /// <summary>The graded objectives whose grade a person overrode, with who and why.</summary>
    public IReadOnlyList<ObjectiveStatus> Overridden => _overridden ??=
        [.. Summary.Objectives.Where(s => s.Progress.Objective.Grade is { IsOverridden: true })];

    /// <summary>Alignment coverage per owner.</summary>
    public IReadOnlyList<AlignmentCoverage> Coverage => Summary.Coverage;

    /// <summary>A list cut to <see cref="ReportOptions.MaxListed"/> rows.</summary>
    /// <typeparam name="T">The rows.</typeparam>
    /// <param name="rows">All rows, worst first.</param>
    /// <returns>The rows shown and the count of the rest.</returns>
    public ReportList<T> Cut<T>(IReadOnlyList<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Count <= Options.MaxListed ? new(rows, 0) : new([.. rows.Take(Options.MaxListed)], rows.Count - Options.MaxListed);
    }

    /// <summary>The name to show for an owner: the directory's display name, or the reference (<c>team:T001</c>).</summary>
    /// <param name="owner">The owner.</param>
    /// <returns>The name.</returns>
    public string OwnerName(OwnerRef owner) => _names.TryGetValue(owner, out var name) && !string.IsNullOrWhiteSpace(name) ? name : owner.ToString();

    /// <summary>An objective's final grade, or null when it is not graded (not closed).</summary>
    /// <param name="objective">An objective of the report.</param>
    /// <returns>The grade with its expectation.</returns>
    public ReportGrade? GradeOf(Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return objective.Grade is { } grade ? new ReportGrade(grade, _assessment.For(objective.Kind)) : null;
    }

    /// <summary>Gathers a report of a period through the facade (so an actor sees only what they may read).</summary>
    /// <param name="okr">The service, or the service acting for someone (<see cref="OkrService.As"/>).</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="options">What to show; <see cref="ReportOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist (or the scope's subtree root is not an objective of it).</exception>
    /// <exception cref="OkrValidationException">The options are invalid.</exception>
    public static async ValueTask<PeriodReport> CreateAsync(OkrService okr, TenantId tenant, PeriodId period, ReportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(okr);
        options ??= ReportOptions.Default;
        options.Validate();
        using var activity = Telemetry.StartActivity("okr.report.create");
        activity?.SetTag(OkrTelemetry.TenantTag, tenant.ToString());
        var summary = await okr.Progress.SummarizeAsync(tenant, period, options.Scope, cancellationToken).ConfigureAwait(false);
        var settings = await okr.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false);
        var zone = settings.TimeZone;
        var byId = summary.Objectives.ToDictionary(s => s.Progress.Objective.Id);
        var children = summary.Objectives
            .SelectMany(s => s.Progress.Objective.Alignments.Select(a => (Parent: a.ParentObjectiveId, Child: s)))
            .Where(x => byId.ContainsKey(x.Parent))
            .ToLookup(x => x.Parent, x => x.Child);

        ReportNode Node(ObjectiveStatus s) => new(s, [.. children[s.Progress.Objective.Id].DistinctBy(c => c.Progress.Objective.Id).OrderBy(c => c.Progress.Objective.Title, StringComparer.Ordinal).Select(Node)]);
        var roots = summary.Objectives
            .Where(s => !s.Progress.Objective.Alignments.Any(a => byId.ContainsKey(a.ParentObjectiveId)))
            .OrderBy(s => s.Progress.Objective.Title, StringComparer.Ordinal)
            .Select(Node)
            .ToList();

        // Charts where a reader looks, then only those key results' histories, in one read.
        var charted = Charted(options, summary, roots);
        var histories = await okr.CheckIns.HistoriesAsync(tenant, [.. charted.Select(c => c.KeyResult.Progress.KeyResult.Id)], cancellationToken).ConfigureAwait(false);
        var pace = ExpectedPace(settings.Health, summary.Period, zone);
        var hold = new List<BurnUpPoint> { new(0, 1), new(1, 1) };
        var burnUps = charted
            .Select(c =>
            {
                var kr = c.KeyResult.Progress.KeyResult;
                var line = kr.Measure is StayAboveMeasure or StayBelowMeasure or WithinRangeMeasure ? ChartLine.Hold : ChartLine.Pace;
                var history = histories.GetValueOrDefault(kr.Id) ?? [];
                return new BurnUp(c.Objective, c.KeyResult, Actual(settings, kr, history, summary, zone), line == ChartLine.Hold ? hold : pace) { Line = line };
            })
            .ToList();

        var owners = summary.Objectives.Select(s => s.Progress.Objective.Owner)
            .Concat(summary.Objectives.SelectMany(s => s.KeyResults).Select(k => k.Progress.KeyResult.Owner).OfType<OwnerRef>())
            .Concat(summary.Objectives.Select(s => s.Progress.Objective.Grade?.OverriddenBy).OfType<OwnerRef>())
            .Concat(summary.Coverage.Select(c => c.Owner))
            .Distinct()
            .ToList();
        var names = options.Owners is { } directory && owners.Count > 0
            ? await directory.GetDisplayNamesAsync(tenant, owners, cancellationToken).ConfigureAwait(false)
            : new Dictionary<OwnerRef, string>();
        return new PeriodReport(summary, roots, burnUps, zone, options, names, settings.Assessment, settings.Culture);
    }

    /// <summary>The key results to chart, in tree order.</summary>
    private static List<(Objective Objective, KeyResultStatus KeyResult)> Charted(ReportOptions options, PeriodSummary summary, List<ReportNode> roots)
    {
        var inTree = Flatten(roots)
            .DistinctBy(n => n.Status.Progress.Objective.Id)
            .SelectMany(n => n.Status.KeyResults.Where(k => !k.Progress.KeyResult.IsCancelled).Select(k => (n.Status.Progress.Objective, KeyResult: k)))
            .ToList();
        if (options.Charts == ChartSelection.All)
        {
            return inTree;
        }

        if (options.Charts == ChartSelection.None || options.MaxCharts == 0)
        {
            return [];
        }

        var closed = summary.Period.State is PeriodState.Closed or PeriodState.Archived;
        var top = roots.Select(r => r.Status.Progress.Objective.Id).ToHashSet();
        var depth = new Dictionary<ObjectiveId, int>();
        void Walk(ReportNode node, int d)
        {
            if (depth.TryAdd(node.Status.Progress.Objective.Id, d))
            {
                foreach (var child in node.Children)
                {
                    Walk(child, d + 1);
                }
            }
        }

        foreach (var root in roots)
        {
            Walk(root, 0);
        }

        var chosen = inTree.Where(x => top.Contains(x.Objective.Id)).Take(options.MaxCharts).ToList();
        if (!closed)
        {
            chosen.AddRange(inTree
                .Where(x => !top.Contains(x.Objective.Id) && x.KeyResult.Health.Status is HealthStatus.AtRisk or HealthStatus.OffTrack)
                .OrderBy(x => depth[x.Objective.Id])
                .ThenBy(x => (x.KeyResult.Progress.Progress ?? 0) - x.KeyResult.Health.ExpectedProgress)
                .Take(options.MaxCharts - chosen.Count));
        }

        var order = inTree.Select((x, i) => (x.KeyResult.Progress.KeyResult.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return [.. chosen.OrderBy(x => order[x.KeyResult.Progress.KeyResult.Id])];
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

    private static List<BurnUpPoint> Actual(OkrServiceOptions settings, KeyResult keyResult, IReadOnlyList<CheckIn> history, PeriodSummary summary, DateTimeZone zone)
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
                points.Add(new BurnUpPoint(share, settings.Scoring.Policy.Score(keyResult, inForce.Value).Progress));
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
