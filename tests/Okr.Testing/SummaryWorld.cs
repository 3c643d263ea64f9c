using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Scoring;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Testing;

/// <summary>
/// A period of a random forest (<see cref="AlignmentGen.Dag"/>) with random histories, in an in-memory store behind a
/// service, for the properties that hold scoped reads and reports to the whole period's summary.
/// </summary>
public static class SummaryWorld
{
    /// <summary>The period (the one <see cref="AlignmentGen"/> puts its objectives in).</summary>
    public static PeriodId Period { get; } = new(Guid.Parse("0192f0a1-0000-7000-8000-000000000001"));

    /// <summary>The tenant.</summary>
    public static TenantId Tenant { get; } = new(Guid.Parse("0192f0a1-0000-7000-8000-0000000000aa"));

    /// <summary>The latest instant a check-in of the histories can be recorded at.</summary>
    public static Instant LastRecorded { get; } = Instant.FromUtc(2026, 1, 26, 9, 0);

    /// <summary>The service's clock reads this instant by default, inside the quarter.</summary>
    public static Instant Now { get; } = Instant.FromUtc(2026, 2, 20, 12, 0);

    /// <summary>A service over a store holding the forest, with a history per key result whose value in force now is the generated one.</summary>
    /// <param name="dag">The forest and its values.</param>
    /// <param name="scoring">The scoring set-up.</param>
    /// <param name="seed">The seed of the histories.</param>
    /// <param name="now">The service's clock; <see cref="Now"/> by default (when every history is a fortnight old, so stale).</param>
    /// <returns>The service.</returns>
    public static OkrService Create(RandomDag dag, OkrScoring scoring, int seed, Instant? now = null)
    {
        ArgumentNullException.ThrowIfNull(dag);
        var random = new Random(seed);
        var start = Instant.FromUtc(2026, 1, 5, 9, 0);   // the last correction is recorded on day 21 at the latest (LastRecorded)
        var checkIns = new List<CheckIn>();
        foreach (var (kr, value) in dag.Values)
        {
            // Earlier values, a corrected one, then the value in force (sometimes back-dated, recorded later).
            var day = random.Next(0, 10);
            for (var i = random.Next(0, 3); i > 0; i--, day += 3)
            {
                checkIns.Add(new CheckIn(new CheckInId(Guid.NewGuid()), kr, random.Next(0, 100), OwnerRef.Person("p"), start + Duration.FromDays(day), start + Duration.FromDays(day)));
            }

            var last = new CheckIn(new CheckInId(Guid.NewGuid()), kr, random.Next(0, 100), OwnerRef.Person("p"), start + Duration.FromDays(day), start + Duration.FromDays(day + random.Next(0, 5)), new Confidence(random.Next(0, 11) / 10.0));
            checkIns.Add(last);
            checkIns.Add(last.Correct(new CheckInId(Guid.NewGuid()), value, OwnerRef.Person("q"), new FakeClock(start + Duration.FromDays(day + 6)), "fixed"));
        }

        var store = new InMemoryOkrStore();
        store.ImportAsync(Tenant, new OkrDocument(Tenant, [OkrPeriod.CalendarQuarter(Period, 2026, 1).Activate(new FakeClock(start))], dag.Objectives, checkIns)).AsTask().GetAwaiter().GetResult();
        return new OkrService(store, new FakeClock(now ?? Now), new OkrServiceOptions { Scoring = scoring });
    }

    /// <summary>Every figure a status shows, exactly (doubles round-trip).</summary>
    public static string Dump(ObjectiveStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var text = new StringBuilder();
        var p = s.Progress;
        text.Append(CultureInfo.InvariantCulture, $"{p.Objective.Id} {p.Progress:R} {p.FromKeyResults:R} {p.FromAlignedObjectives:R} {s.Health.Status} {s.Health.Computed} {s.Health.ExpectedProgress:R}\n");
        foreach (var k in s.KeyResults)
        {
            text.Append("  ").Append(Dump(k)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A key result's standing as one line of text (every figure a summary shows), to compare two of them.</summary>
    /// <param name="k">The key result's standing.</param>
    /// <returns>The line.</returns>
    public static string Dump(KeyResultStatus k)
    {
        ArgumentNullException.ThrowIfNull(k);
        var f = k.Forecast;
        var forecast = f is null ? "-" : FormattableString.Invariant($"{f.IsSufficient} {f.Points} {f.At} {f.SlopePerDay:R} {f.ProjectedValue} {f.ProjectedScore?.Progress:R}");
        return FormattableString.Invariant($"{k.Progress.KeyResult.Id} {k.Progress.Score?.Raw:R} {k.Progress.Score?.Progress:R} {k.Progress.Score?.Band} {k.Progress.Progress:R} {k.Latest?.Id} {k.Health.Status} {k.Health.Computed} {k.Health.ElapsedShare:R} {k.Health.ExpectedProgress:R} {k.Health.Progress:R} {forecast}");
    }
}
