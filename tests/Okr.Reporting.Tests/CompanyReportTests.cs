using System.Text;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Reporting.Tests;

/// <summary>
/// A company report of a 1,500-objective tenant (ten company objectives, a hundred departments, a thousand teams and
/// 390 squads; four key results each, eight weekly check-ins): the top three levels, charts where a reader looks.
/// </summary>
public class CompanyReportTests
{
    internal static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 9, 0);

    [Fact]
    public async Task A_company_report_of_1500_objectives_stays_under_a_megabyte_with_the_whole_periods_figures()
    {
        var (okr, tenant, period) = await TenantAsync(1500);
        var report = await PeriodReport.CreateAsync(okr, tenant, period, ReportOptions.Company(3, new Names()));
        var html = HtmlReport.Render(report);
        var bytes = Encoding.UTF8.GetByteCount(html);
        if (Environment.GetEnvironmentVariable("OKR_REPORT_OUT") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, html);   // eng/screenshot-report.sh renders it for docs/images
        }

        Assert.True(bytes <= 1_000_000, $"The company report is {bytes:N0} bytes.");
        Assert.Equal(1110, report.Summary.Objectives.Count);
        Assert.Equal(110, html.Split("<table class=\"k\">").Length - 1);   // key result rows for the top two levels; teams show their own line
        Assert.InRange(report.BurnUps.Count, 40, report.Options.MaxCharts);
        Assert.Equal(40, report.BurnUps.Count(b => report.Roots.Any(r => r.Status.Progress.Objective.Id == b.Objective.Id)));
        Assert.True(report.AtRisk.Count > report.Options.MaxListed, "The tenant has more at-risk key results than a list shows.");
        Assert.Contains($"… and {report.AtRisk.Count - 100} more", html, StringComparison.Ordinal);
        Assert.Contains("<bdi>Team 0042</bdi>", html, StringComparison.Ordinal);

        // Every figure shown is the whole period's.
        var whole = (await okr.Progress.SummarizeAsync(tenant, period)).Objectives.ToDictionary(s => s.Progress.Objective.Id);
        Assert.All(report.Summary.Objectives, s =>
        {
            var w = whole[s.Progress.Objective.Id];
            Assert.Equal(w.Progress.Progress, s.Progress.Progress);
            Assert.Equal(w.Health.Status, s.Health.Status);
            Assert.Equal(w.KeyResults.Select(k => (k.Progress.Progress, k.Health.Status)), s.KeyResults.Select(k => (k.Progress.Progress, k.Health.Status)));
        });
    }

    /// <summary>An in-memory tenant of <paramref name="count"/> objectives, levels of 10, 100, 1 000, then the rest, halfway through Q1.</summary>
    internal static async Task<(OkrService Okr, TenantId Tenant, PeriodId Period)> TenantAsync(int count, IOkrStore? store = null)
    {
        store ??= new InMemoryOkrStore();
        var tenant = new TenantId(Guid.NewGuid());
        var clock = new FakeClock(Start);
        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1).Activate(clock);
        var random = new Random(20261128);
        var objectives = new List<Objective>(count);
        var checkIns = new List<CheckIn>(count * 32);
        var levelStart = new[] { 0, 10, 110, 1110 };
        for (var i = 0; i < count; i++)
        {
            var level = levelStart.Count(s => s <= i) - 1;
            AlignmentLink[] links = level == 0 ? [] : [new AlignmentLink(objectives[levelStart[level - 1] + ((i - levelStart[level]) % (levelStart[level] - levelStart[level - 1]))].Id)];
            var krs = Enumerable.Range(0, 4).Select(k => new KeyResult(new KeyResultId(Guid.NewGuid()), $"Key result {k + 1}", new IncreaseMeasure(0m, 100m))).ToList();
            var owner = level == 0 ? OwnerRef.OrganizationUnit($"company-{i}") : OwnerRef.Team($"T{i % 300:0000}");
            objectives.Add(Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, $"Objective {i}: grow what matters at level {level + 1}", owner, clock, keyResults: krs, alignments: links).Activate(clock));
            foreach (var kr in krs)
            {
                var pace = random.NextDouble() * 1.4;
                for (var week = 1; week <= 8; week++)
                {
                    var at = Start + Duration.FromDays(7 * week);
                    checkIns.Add(new CheckIn(new CheckInId(Guid.NewGuid()), kr.Id, Math.Round((decimal)(pace * week * 100 / 13.0), 1), OwnerRef.Person("p"), at, at));
                }
            }
        }

        await store.ImportAsync(tenant, new OkrDocument(tenant, [period], objectives, checkIns));
        return (new OkrService(store, new FakeClock(Start + Duration.FromDays(57))), tenant, period.Id);
    }

    /// <summary>A directory that knows every team by name.</summary>
    private sealed class Names : IOwnerDirectory
    {
        public ValueTask<IReadOnlyDictionary<OwnerRef, string>> GetDisplayNamesAsync(TenantId tenant, IReadOnlyCollection<OwnerRef> owners, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyDictionary<OwnerRef, string>>(owners.Where(o => o.Kind == OwnerKind.Team).ToDictionary(o => o, o => "Team " + o.ExternalId[1..]));
    }
}
