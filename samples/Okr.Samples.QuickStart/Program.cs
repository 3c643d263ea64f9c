// Okr.Core quick start: one quarter of a small company, built in memory and printed.
// Run it with: dotnet run --project samples/Okr.Samples.QuickStart
using System.Globalization;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Health;
using Okr.Core.Rules;
using Okr.Core.Scoring;

// Time always comes from an IClock. The quarter is replayed, so the clock is simulated.
var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
var clock = new FakeClock(new LocalDateTime(2026, 1, 5, 9, 0).InZoneLeniently(zone).ToInstant());
var rules = OkrRules.Default;

var quarter = OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1).Activate();

KeyResult Kr(string title, Measure measure, double weight = 1) => new(KeyResultId.New(clock), title, measure, weight);

var company = Objective.Create(
    ObjectiveId.New(clock), quarter.Id, "Become the easiest invoicing tool for small firms", OwnerRef.OrganizationUnit("acme"), clock,
    ObjectiveKind.Aspirational,
    keyResults:
    [
        Kr("Grow monthly recurring revenue", new IncreaseMeasure(120_000m, 180_000m, unit: MeasureUnit.Currency("EUR")), weight: 2),
        Kr("Raise net promoter score", new IncreaseMeasure(-5m, 25m, unit: MeasureUnit.Custom("NPS"))),
        Kr("Cut time to first invoice", new DecreaseMeasure(30m, 5m, unit: MeasureUnit.Custom("minutes"))),
    ]);

var product = Objective.Create(
    ObjectiveId.New(clock), quarter.Id, "Make onboarding effortless", OwnerRef.Team("product"), clock,
    ObjectiveKind.Committed,
    keyResults:
    [
        Kr("Ship the guided setup", new MilestoneMeasure()),
        Kr("Onboarding completion rate", new IncreaseMeasure(42.5m, 75m, unit: MeasureUnit.Percent)),
        Kr("Keep crash-free sessions", new StayAboveMeasure(99.5m, MeasureUnit.Percent)),
    ],
    alignments: [new AlignmentLink(company.Id, company.KeyResults[2].Id)]);

var sales = Objective.Create(
    ObjectiveId.New(clock), quarter.Id, "Win accountants as a channel", OwnerRef.Team("sales"), clock,
    ObjectiveKind.Aspirational,
    keyResults:
    [
        Kr("Signed partner firms", StagedMeasure.FromStretch(0m, 40m)),
        Kr("Revenue from partner referrals", new IncreaseMeasure(0m, 20_000m, 30_000m, MeasureUnit.Currency("EUR"))),
        Kr("Average deal cycle", new WithinRangeMeasure(10m, 21m, MeasureUnit.Custom("days"))),
        Kr("Churned partners", new StayBelowMeasure(2m)),
    ],
    alignments: [new AlignmentLink(company.Id, weight: 1)]);

// Activation applies the rules (3–5 key results, open period, ...): every violation at once.
var objectives = new List<Objective>();
foreach (var draft in new[] { company, product, sales })
{
    var active = draft.Activate(clock);
    rules.Validate(new ObjectiveChange(draft, active, quarter, new HashSet<KeyResultId>()));
    objectives.Add(active);
}

// Weekly check-ins: (objective, key result index, value per week).
var plan = new (Objective Objective, int Kr, decimal[] Values)[]
{
    (objectives[0], 0, [124_000m, 131_500m, 139_900m, 146_250.50m]),
    (objectives[0], 1, [-2m, 4m, 9m, 12m]),
    (objectives[0], 2, [28m, 22m, 17m, 15m]),
    (objectives[1], 0, [0m, 0m, 0m, 1m]),
    (objectives[1], 1, [44m, 51.5m, 58m, 63.25m]),
    (objectives[1], 2, [99.7m, 99.6m, 99.4m, 99.8m]),
    (objectives[2], 0, [2m, 6m, 11m, 15m]),
    (objectives[2], 1, [1_200m, 4_800m, 7_500m, 9_900m]),
    (objectives[2], 3, [0m, 1m, 1m, 3m]),
};

var checkIns = new List<CheckIn>();
var author = OwnerRef.Person("E1042");
for (var week = 0; week < 4; week++)
{
    clock.Advance(Duration.FromDays(7));
    foreach (var (objective, kr, values) in plan)
    {
        var checkIn = CheckIn.Record(CheckInId.New(clock), objective.KeyResults[kr].Id, values[week], author, clock, confidence: Confidence.FromTenPointScale(7 - week % 3));
        rules.Validate(new CheckInChange(checkIn, objective, quarter));
        checkIns.Add(checkIn);
    }
}

// A typo in week 2 is corrected; the original stays in the history.
var typo = checkIns.First(c => c.KeyResultId == objectives[0].KeyResults[1].Id && c.Value == 4m);
checkIns.Add(typo.Correct(CheckInId.New(clock), 5m, author, clock, "Survey export was incomplete"));

var now = clock.GetCurrentInstant();
var today = now.InZone(zone).Date;
var scoring = OkrScoring.Default;
var health = PaceHealthPolicy.Default;
decimal? ValueOf(KeyResultId id) => CheckInHistory.AsOf(checkIns.Where(c => c.KeyResultId == id), now)?.Value;

// Children first, so the company objective can see its teams' progress.
var progress = new Dictionary<ObjectiveId, ObjectiveProgress>();
foreach (var objective in objectives.OrderByDescending(o => o.Alignments.Count))
{
    var children = objectives
        .SelectMany(child => child.Alignments.Where(a => a.ParentObjectiveId == objective.Id).Select(link => new ChildProgress(child, link, progress[child.Id].Progress)));
    progress[objective.Id] = scoring.Evaluate(objective, ValueOf, children);
}

Console.WriteLine($"{quarter.Name}  {quarter.Dates.Start:uuuu-MM-dd} → {quarter.Dates.End:uuuu-MM-dd}   today {today:uuuu-MM-dd} ({zone.Id}), {PaceHealthPolicy.ElapsedShare(quarter, zone, now):P0} of the quarter gone");
Console.WriteLine();
foreach (var objective in objectives)
{
    var parent = objective.Alignments.Count > 0 && objective.Alignments[0] is { } link
        ? $"  ↑ '{objectives.Single(o => o.Id == link.ParentObjectiveId).Title}'"
        : string.Empty;
    Console.WriteLine($"■ {objective.Title}  [{objective.Owner}, {objective.Kind}]{parent}");
    Console.WriteLine($"  {Bar(progress[objective.Id].Progress)}");
    foreach (var kr in progress[objective.Id].KeyResults)
    {
        var history = checkIns.Where(c => c.KeyResultId == kr.KeyResult.Id).ToList();
        var latest = CheckInHistory.AsOf(history, now);
        var verdict = health.Assess(new HealthContext(kr.Progress, latest?.RecordedAt, latest?.Confidence, quarter, zone, now));
        var forecast = Forecaster.Project(kr.KeyResult, history, quarter, zone, scoring.Scoring);
        var value = latest is null ? "no data yet" : Format(latest.Value, kr.KeyResult.Measure.Unit);
        var outlook = forecast.IsSufficient ? $"→ {forecast.ProjectedScore!.Value.Progress:P0} by {quarter.Dates.End:MMM d}" : string.Empty;
        Console.WriteLine($"    • {kr.KeyResult.Title,-32} {Bar(kr.Progress)} {verdict.Status,-8} {value,-16} {outlook}");
        Console.WriteLine($"      {Describe(kr.KeyResult.Measure)}");
    }

    Console.WriteLine();
}

var periodScore = scoring.PeriodScore(progress.Values);
Console.WriteLine($"Quarter so far: {periodScore:P0}. {checkIns.Count} check-ins recorded, {checkIns.Count(c => c.IsCorrection)} correction.");

static string Bar(double? progress)
{
    if (progress is not { } p)
    {
        return "[" + new string('·', 20) + "]   –  ";
    }

    var filled = (int)Math.Round(Math.Clamp(p, 0, 1) * 20);
    return $"[{new string('█', filled)}{new string('░', 20 - filled)}] {p,4:P0} {GradeBands.Of(p)}";
}

static string Describe(Measure measure) => measure switch
{
    IncreaseMeasure m => $"increase {Format(m.Baseline, m.Unit)} → {Format(m.Target, m.Unit)}",
    DecreaseMeasure m => $"decrease {Format(m.Baseline, m.Unit)} → {Format(m.Target, m.Unit)}",
    StayAboveMeasure m => $"stay ≥ {Format(m.Threshold, m.Unit)}",
    StayBelowMeasure m => $"stay ≤ {Format(m.Threshold, m.Unit)}",
    WithinRangeMeasure m => $"within {Format(m.Low, m.Unit)}..{Format(m.High, m.Unit)}",
    StagedMeasure m => $"commit {m.Commit:0.#} / target {m.Target:0.#} / stretch {m.Stretch:0.#}",
    _ => "milestone",
};

static string Format(decimal value, MeasureUnit unit) => unit.Kind switch
{
    MeasureUnitKind.Percent => value.ToString("0.##", CultureInfo.InvariantCulture) + " %",
    MeasureUnitKind.Currency => value.ToString("#,0.##", CultureInfo.InvariantCulture) + " " + unit.Code,
    MeasureUnitKind.Custom => value.ToString("0.##", CultureInfo.InvariantCulture) + " " + unit.Code,
    _ => value.ToString("0.##", CultureInfo.InvariantCulture),
};
