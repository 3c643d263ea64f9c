using NodaTime;
using Okr.Core.Scoring;

namespace Okr.Core.Tests.Scoring;

// begin-snippet: custom-policy
/// <summary>Shows progress rounded *down* to tenths, so 0.69 is never shown as green.</summary>
public sealed class RoundDownScoringPolicy : IScoringPolicy
{
    public Score Score(KeyResult keyResult, decimal value)
    {
        // Reuse the library's formulas for the raw ratio; only the shown progress differs.
        var raw = ProgressFormulas.LinearRatio(keyResult.Measure, value);
        var shown = Math.Floor((decimal)Math.Clamp(raw, 0, 1) * 10) / 10;
        return new Score(raw, (double)shown);
    }
}

// Use it wherever a scoring policy is taken:
// var scoring = new OkrScoring(new RoundDownScoringPolicy());
// var progress = scoring.Evaluate(objective, keyResultId => valueInForce);
// end-snippet

public class CustomPolicyTests
{
    [Fact]
    public void A_custom_policy_is_used_end_to_end_through_the_public_api()
    {
        var clock = TestData.Clock();
        var period = OkrPeriod.Custom(new PeriodId(Guid.NewGuid()), "Q", new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)).Activate(clock);
        var kr = TestData.Kr("Signups", new IncreaseMeasure(0, 100));
        var objective = Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Grow", TestData.Alice, clock, ObjectiveKind.Aspirational, keyResults: [kr]).Activate(clock);
        clock.Advance(Duration.FromDays(30));
        var checkIns = new[]
        {
            CheckIn.Record(new CheckInId(Guid.NewGuid()), kr.Id, 69, TestData.Alice, clock, effectiveAt: Instant.FromUtc(2026, 1, 20, 0, 0)),
            CheckIn.Record(new CheckInId(Guid.NewGuid()), kr.Id, 30, TestData.Alice, clock, effectiveAt: Instant.FromUtc(2026, 1, 10, 0, 0)),
        };
        var scoring = new OkrScoring(new RoundDownScoringPolicy());

        var value = CheckInHistory.AsOf(checkIns, clock.GetCurrentInstant())!.Value;
        var progress = scoring.Evaluate(objective, id => id == kr.Id ? value : null);
        Assert.Equal(0.6, progress.Progress);                       // 0.69 shown as 0.6, not 0.7
        Assert.Equal(GradeBand.Yellow, progress.KeyResults[0].Score!.Value.Band);
        var linear = OkrScoring.Default.Evaluate(objective, _ => value);
        Assert.Equal(0.69, linear.Progress!.Value, 12);
        Assert.Equal(GradeBand.Green, linear.KeyResults[0].Score!.Value.Band);           // the default rounds 0.69 to 0.7

        var assessment = new OkrAssessor(scoring).Assess(progress);
        Assert.False(assessment.Met);
        Assert.Equal(0.6, assessment.Grade.Value);

        var forecast = Forecaster.Project(kr, [.. checkIns], period, DateTimeZone.Utc, scoring.Policy);
        Assert.True(forecast.IsSufficient);
        Assert.Equal(1.0, forecast.ProjectedScore!.Value.Progress);   // 30 → 69 in ten days heads past the target
    }

    [Fact]
    public void The_custom_policy_in_docs_scoring_md_is_the_one_compiled_here()
    {
        var root = FindRoot();
        var doc = File.ReadAllText(Path.Combine(root, "docs", "scoring.md"));
        var source = File.ReadAllText(Path.Combine(root, "tests", "Okr.Core.Tests", "Scoring", "CustomPolicyTests.cs"));
        Assert.Contains(Normalise(Between(source, "// begin-snippet: custom-policy", "// end-snippet")), Normalise(doc), StringComparison.Ordinal);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static string Normalise(string text) => string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Okr.Core.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Okr.Core.sln not found above " + AppContext.BaseDirectory);
    }
}
