using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Testing;

namespace Okr.Core.Tests.Service;

/// <summary>
/// <see cref="OkrCheckIns.DueAsync"/> against its definition, for random alignment forests with cadences on the tenant,
/// owners, objectives and key results, random recorded check-ins, random instants and time zones: the cadence each key
/// result follows (the nearest one set, by the documented order) and, for each, what is owed, computed day by day over
/// the period with every recorded check-in, not only the last.
/// </summary>
public class DueProperties
{
    private static readonly DateTimeZone[] Zones =
        [DateTimeZone.Utc, DateTimeZoneProviders.Tzdb["Europe/Berlin"], DateTimeZoneProviders.Tzdb["Pacific/Auckland"], DateTimeZoneProviders.Tzdb["America/St_Johns"]];

    private static readonly Instant From = Instant.FromUtc(2025, 12, 20, 0, 0);

    private static readonly TenantId Tenant = new(Guid.Parse("0192f0a1-0000-7000-8000-0000000000bb"));

    [Property(MaxTest = 200)]
    public Property DueAsync_equals_the_definition() =>
        Prop.ForAll(AlignmentGen.Dag(14).Zip(Gen.Choose(0, int.MaxValue)).ToArbitrary(), input =>
        {
            var (dag, seed) = input;
            var random = new Random(seed);
            var zone = Zones[random.Next(Zones.Length)];
            var clock = new FakeClock(From);
            var period = OkrPeriod.CalendarQuarter(SummaryWorld.Period, 2026, 1).Activate(clock);   // the period AlignmentGen uses

            // Cadences here and there, check-ins recorded at random instants, an instant to ask at.
            var owners = Enumerable.Range(0, 4).Where(_ => random.Next(3) == 0).ToDictionary(i => OwnerRef.Team($"team-{i}"), _ => RandomCadence(random));
            var tenantCadence = random.Next(2) == 0 ? RandomCadence(random) : null;
            var objectives = dag.Objectives.Select(o =>
            {
                var krs = o.KeyResults
                    .Select(k => random.Next(4) == 0 ? k.WithOwner(OwnerRef.Team($"team-{random.Next(5)}")) : k)
                    .Select(k => random.Next(5) == 0 ? k.WithCadence(RandomCadence(random)) : k)
                    .ToList();
                var live = o.State == ObjectiveState.Draft && random.Next(6) > 0 ? o.Activate(clock) : o;
                return new Objective(live.Id, live.PeriodId, live.Title, live.Description, random.Next(6) == 0 ? OwnerRef.Person("solo") : live.Owner, live.Kind, live.State, live.Visibility, krs, live.Alignments, 0, live.CreatedAt, live.UpdatedAt, live.Grade)
                {
                    Cadence = random.Next(3) == 0 ? RandomCadence(random) : null,
                };
            }).ToList();
            var checkIns = objectives.SelectMany(o => o.KeyResults).Where(k => k.ProgressSource == ProgressSource.Measured).SelectMany(k => Enumerable.Range(0, random.Next(0, 5)).Select(_ =>
            {
                var recorded = From + Duration.FromMinutes(random.Next(0, 112 * 24 * 60));
                return new CheckIn(new CheckInId(Guid.NewGuid()), k.Id, random.Next(0, 100), OwnerRef.Person("p"), recorded, recorded);
            })).ToList();
            var at = From + Duration.FromMinutes(random.Next(0, 112 * 24 * 60));

            var store = new InMemoryOkrStore();
            store.ImportAsync(Tenant, new OkrDocument(Tenant, [period], objectives, checkIns)).AsTask().GetAwaiter().GetResult();
            var okr = new OkrService(store, new FakeClock(at), new OkrServiceOptions { TimeZone = zone, Cadence = tenantCadence, OwnerCadences = owners });

            var due = okr.CheckIns.DueAsync(Tenant, period.Id, at).AsTask().GetAwaiter().GetResult();

            var byId = objectives.ToDictionary(o => o.Id);
            var expected = new List<string>();
            foreach (var o in objectives.Where(o => o.State == ObjectiveState.Active))
            {
                foreach (var k in o.KeyResults.Where(k => !k.IsCancelled && k.ProgressSource == ProgressSource.Measured))
                {
                    if (Definition(byId, owners, tenantCadence, o, k) is not { } cadence)
                    {
                        continue;
                    }

                    var recorded = checkIns.Where(c => c.KeyResultId == k.Id && c.RecordedAt <= at).Select(c => c.RecordedAt).ToList();
                    var today = at.InZone(zone).Date;
                    var dueDates = new List<LocalDate>();
                    for (var d = period.Dates.Start; d <= period.Dates.End && d <= today; d = d.PlusDays(1))
                    {
                        if (IsDue(cadence.Cadence, d, period.Dates))
                        {
                            dueDates.Add(d);
                        }
                    }

                    bool Satisfied(LocalDate d) => recorded.Any(r => r >= zone.AtStartOfDay(d.PlusDays(-cadence.Cadence.GraceDays)).ToInstant());
                    var unmet = dueDates.AsEnumerable().Reverse().TakeWhile(d => !Satisfied(d)).Reverse().ToList();
                    if (unmet.Count == 0)
                    {
                        continue;
                    }

                    var overdueAt = zone.AtStartOfDay(unmet[0].PlusDays(cadence.Cadence.GraceDays)).ToInstant();
                    expected.Add(Line(k.Owner ?? o.Owner, k.Id, cadence.Source, cadence.Cadence, unmet[0], unmet.Count, zone.AtStartOfDay(unmet[0]).ToInstant(), at > overdueAt ? at - overdueAt : Duration.Zero, recorded.Count == 0 ? null : recorded.Max()));
                }
            }

            var actual = due.Select(d => Line(d.Owner, d.KeyResult.Id, d.Cadence.Source, d.Cadence.Cadence, d.Since, d.Missed, d.DueAt, d.OverdueBy, d.LastRecordedAt)).ToList();
            Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
            Assert.Equal(due.OrderBy(d => d.Owner.ToString(), StringComparer.Ordinal).ThenBy(d => d.Since).ThenBy(d => d.KeyResult.Id).Select(d => d.Id), due.Select(d => d.Id));
            Assert.Equal(due.Count, due.Select(d => d.Id).Distinct().Count());
            return true;
        });

    /// <summary>The documented order, written out: the key result's own, its owner's, then its objective's chain, then the tenant's.</summary>
    private static (CheckInCadence Cadence, CadenceSource Source)? Definition(Dictionary<ObjectiveId, Objective> all, Dictionary<OwnerRef, CheckInCadence> owners, CheckInCadence? tenant, Objective o, KeyResult k)
    {
        if (k.Cadence is { } own)
        {
            return (own, CadenceSource.KeyResult);
        }

        if (k.Owner is { } owner && owners.TryGetValue(owner, out var theirs))
        {
            return (theirs, CadenceSource.Owner);
        }

        (CheckInCadence, CadenceSource)? Up(Objective x, bool above)
        {
            if (x.Cadence is { } c)
            {
                return (c, above ? CadenceSource.AlignedObjective : CadenceSource.Objective);
            }

            if (owners.TryGetValue(x.Owner, out var oc))
            {
                return (oc, above ? CadenceSource.AlignedObjective : CadenceSource.Owner);
            }

            foreach (var link in x.Alignments)
            {
                if (all.TryGetValue(link.ParentObjectiveId, out var parent) && Up(parent, true) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        return Up(o, false) ?? (tenant is { } t ? (t, CadenceSource.Tenant) : null);
    }

    /// <summary>Whether a day is a due date, asked of the day alone.</summary>
    private static bool IsDue(CheckInCadence c, LocalDate d, DateInterval period)
    {
        switch (c.Kind)
        {
            case CadenceKind.Weekly:
                return d.DayOfWeek == c.Day;
            case CadenceKind.EveryWeeks:
                var first = period.Start;
                while (first.DayOfWeek != c.Day)
                {
                    first = first.PlusDays(1);
                }

                return d.DayOfWeek == c.Day && Period.DaysBetween(first, d) % (7 * c.Weeks) == 0;
            case CadenceKind.Monthly:
                return d.Day == Math.Min(c.DayOfMonth, CalendarSystem.Iso.GetDaysInMonth(d.Year, d.Month));
            default:
                return c.Dates.Contains(d);
        }
    }

    private static string Line(OwnerRef owner, KeyResultId kr, CadenceSource source, CheckInCadence cadence, LocalDate since, int missed, Instant dueAt, Duration overdueBy, Instant? last) =>
        $"{owner} {kr} {source} [{cadence}] since {since} missed {missed} due {dueAt} overdue {overdueBy} last {last}";

    private static CheckInCadence RandomCadence(Random random)
    {
        var grace = random.Next(0, 4);
        var day = (IsoDayOfWeek)random.Next(1, 8);
        return random.Next(4) switch
        {
            0 => CheckInCadence.Weekly(day, grace),
            1 => CheckInCadence.EveryWeeks(random.Next(2, 4), day, grace),
            2 => CheckInCadence.Monthly(random.Next(1, 32), grace),
            _ => CheckInCadence.OnDates(Enumerable.Range(0, random.Next(1, 6)).Select(_ => new LocalDate(2025, 12, 25).PlusDays(random.Next(0, 110))), grace),
        };
    }
}
