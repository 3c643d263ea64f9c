using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Okr.Core;
using Okr.Core.Service;
using Okr.Testing;

namespace Okr.Reporting.Tests;

/// <summary>
/// Report figures against their definition: for random periods (alignment forests, every scoring set-up), random
/// histories and random report options, every figure a report shows is the whole period's summary's figure for the same
/// objectives: the statuses, the tree, the at-risk and stale lists, each chart's key result and its last point, and, once
/// the period is closed, the grades and the missed list.
/// </summary>
public class ReportProperties
{
    [Property(MaxTest = 100)]
    public Property Report_figures_equal_the_whole_periods_summary() =>
        Prop.ForAll(AlignmentGen.Dag(25).Zip(AlignmentGen.Scoring).Zip(Gen.Choose(0, int.MaxValue)).ToArbitrary(), input =>
        {
            var ((dag, scoring), seed) = input;
            // Read after the last check-in was recorded (as a live read always is) and within a fortnight of it, so key
            // results are on track, at risk and stale.
            var okr = SummaryWorld.Create(dag, scoring, seed, SummaryWorld.LastRecorded + Duration.FromDays(seed % 14));
            var (tenant, period) = (SummaryWorld.Tenant, SummaryWorld.Period);
            var full = okr.Progress.SummarizeAsync(tenant, period).AsTask().GetAwaiter().GetResult();
            var expected = full.Objectives.ToDictionary(s => s.Progress.Objective.Id, SummaryWorld.Dump);
            var holder = full.Objectives.SelectMany(s => s.KeyResults.Select(k => (k.Progress.KeyResult.Id, s.Progress.Objective.Id))).ToDictionary(x => x.Item1, x => x.Item2);
            var random = new Random(seed);
            var someone = dag.Objectives[random.Next(dag.Objectives.Count)];
            SummaryScope?[] scopes =
            [
                null,
                new SummaryScope { Subtree = someone.Id },
                new SummaryScope { Owners = [someone.Owner] },
                new SummaryScope { Levels = 1 + random.Next(3) },
            ];

            foreach (var scope in scopes)
            {
                var options = new ReportOptions
                {
                    Scope = scope,
                    Charts = random.Next(2) == 0 ? ChartSelection.All : ChartSelection.TopLevelAndAtRisk,
                    MaxCharts = random.Next(0, 9),
                };
                var report = PeriodReport.CreateAsync(okr, tenant, period, options).AsTask().GetAwaiter().GetResult();
                var shown = okr.Progress.SummarizeAsync(tenant, period, scope).AsTask().GetAwaiter().GetResult().Objectives.Select(s => s.Progress.Objective.Id).ToHashSet();

                // The statuses: exactly the scope's objectives, each with the whole period's figures.
                Assert.Equal(shown.Order(), report.Summary.Objectives.Select(s => s.Progress.Objective.Id).Order());
                Assert.All(report.Summary.Objectives, s => Assert.Equal(expected[s.Progress.Objective.Id], SummaryWorld.Dump(s)));

                // The tree: every shown objective, under each shown parent it is aligned to, and at the top otherwise.
                var nodes = PeriodReport.Flatten(report.Roots).ToList();
                Assert.Equal(shown.Order(), nodes.Select(n => n.Status.Progress.Objective.Id).Distinct().Order());
                foreach (var node in nodes)
                {
                    var id = node.Status.Progress.Objective.Id;
                    Assert.Equal(
                        dag.Objectives.Where(o => shown.Contains(o.Id) && o.Alignments.Any(a => a.ParentObjectiveId == id)).Select(o => o.Id).Order(),
                        node.Children.Select(c => c.Status.Progress.Objective.Id).Order());
                }

                Assert.Equal(
                    shown.Where(id => !dag.Objectives.Single(o => o.Id == id).Alignments.Any(a => shown.Contains(a.ParentObjectiveId))).Order(),
                    report.Roots.Select(r => r.Status.Progress.Objective.Id).Order());

                // The lists: the whole period's at-risk and stale key results of the shown objectives, furthest behind first.
                Assert.Equal(full.AtRisk.Where(k => shown.Contains(holder[k.Progress.KeyResult.Id])).Select(k => k.Progress.KeyResult.Id).Order(), report.AtRisk.Select(k => k.Progress.KeyResult.Id).Order());
                var behind = report.AtRisk.Select(k => (k.Progress.Progress ?? 0) - k.Health.ExpectedProgress).ToList();
                Assert.Equal(behind.Order(), behind);
                Assert.Equal(full.Stale.Where(k => shown.Contains(holder[k.Progress.KeyResult.Id])).Select(k => k.Progress.KeyResult.Id).Order(), report.Stale.Select(k => k.Progress.KeyResult.Id).Order());

                // The charts: key results of shown objectives with the whole period's figures; the last point is the
                // value in force now; all of them when asked for all, at most the cap otherwise.
                foreach (var chart in report.BurnUps)
                {
                    var kr = chart.KeyResult.Progress.KeyResult;
                    Assert.Equal(holder[kr.Id], chart.Objective.Id);
                    Assert.Contains(chart.Objective.Id, shown);
                    Assert.Equal(SummaryWorld.Dump(full.Objectives.SelectMany(s => s.KeyResults).Single(k => k.Progress.KeyResult.Id == kr.Id)), SummaryWorld.Dump(chart.KeyResult));
                    if (chart.KeyResult.Progress.Score is { } score && kr.ProgressSource == ProgressSource.Measured)
                    {
                        Assert.Equal(score.Progress, chart.Actual[^1].Progress);
                    }
                    else
                    {
                        Assert.Empty(chart.Actual);
                    }
                }

                var chartable = report.Summary.Objectives.SelectMany(s => s.KeyResults).Where(k => !k.Progress.KeyResult.IsCancelled).Select(k => k.Progress.KeyResult.Id).Order().ToList();
                if (options.Charts == ChartSelection.All)
                {
                    Assert.Equal(chartable, report.BurnUps.Select(b => b.KeyResult.Progress.KeyResult.Id).Order());
                }
                else
                {
                    Assert.True(report.BurnUps.Count <= options.MaxCharts, $"{report.BurnUps.Count} charts over a cap of {options.MaxCharts}.");
                }
            }

            // Closed: each graded objective's computed grade is its progress in the summary just before the close,
            // and the missed list is exactly the graded objectives below their expectation, lowest first.
            okr.Periods.CloseAsync(tenant, period).AsTask().GetAwaiter().GetResult();
            var closed = PeriodReport.CreateAsync(okr, tenant, period).AsTask().GetAwaiter().GetResult();
            var before = full.Objectives.ToDictionary(s => s.Progress.Objective.Id, s => s.Progress.Progress);
            foreach (var status in closed.Summary.Objectives)
            {
                if (closed.GradeOf(status.Progress.Objective) is { } grade)
                {
                    Assert.Equal(Math.Clamp(before[status.Progress.Objective.Id] ?? 0, 0, 1), grade.Grade.Computed);
                }
            }

            Assert.Equal(
                closed.Summary.Objectives.Where(s => closed.GradeOf(s.Progress.Objective) is { Met: false }).Select(s => s.Progress.Objective.Id).Order(),
                closed.Missed.Select(s => s.Progress.Objective.Id).Order());
            var grades = closed.Missed.Select(s => s.Progress.Objective.Grade!.Value).ToList();
            Assert.Equal(grades.Order(), grades);
            Assert.Empty(closed.AtRisk);
            Assert.Empty(closed.Stale);
            return true;
        });
}
