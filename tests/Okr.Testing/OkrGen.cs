using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;

namespace Okr.Testing;

/// <summary>
/// FsCheck generators for every type of the Okr.Core model. Each generator yields only valid
/// values (ones the constructors accept); tests of invalid input build their own raw inputs.
/// Reproducible: no generator reads a clock or a global random source.
/// </summary>
public static class OkrGen
{
    /// <summary>An instant between 2020 and 2030 with full nanosecond precision.</summary>
    public static Gen<Instant> Instant { get; } =
        from seconds in Gen.Choose(0, 315_360_000)
        from nanos in Gen.Elements(0, 0, 1, 999_999_999, 123_456_789, 500_000_000)
        select NodaTime.Instant.FromUtc(2020, 1, 1, 0, 0).Plus(Duration.FromSeconds(seconds)).PlusNanoseconds(nanos);

    /// <summary>A non-empty GUID built from generated bits.</summary>
    public static Gen<Guid> NonEmptyGuid { get; } =
        from a in Gen.Choose(int.MinValue, int.MaxValue)
        from b in Gen.Choose(int.MinValue, int.MaxValue)
        from c in Gen.Choose(int.MinValue, int.MaxValue)
        from d in Gen.Choose(1, int.MaxValue)
        select MakeGuid(a, b, c, d);

    /// <summary>Tenant ids.</summary>
    public static Gen<TenantId> TenantId { get; } = NonEmptyGuid.Select(g => new TenantId(g));

    /// <summary>Period ids.</summary>
    public static Gen<PeriodId> PeriodId { get; } = NonEmptyGuid.Select(g => new PeriodId(g));

    /// <summary>Objective ids.</summary>
    public static Gen<ObjectiveId> ObjectiveId { get; } = NonEmptyGuid.Select(g => new ObjectiveId(g));

    /// <summary>Key result ids.</summary>
    public static Gen<KeyResultId> KeyResultId { get; } = NonEmptyGuid.Select(g => new KeyResultId(g));

    /// <summary>Check-in ids.</summary>
    public static Gen<CheckInId> CheckInId { get; } = NonEmptyGuid.Select(g => new CheckInId(g));

    /// <summary>Decimals of many shapes: integers, fractions with up to 6 places, negatives, magnitudes up to 10^15 (so levels built from them stay within ±10^18).</summary>
    public static Gen<decimal> Amount { get; } = Gen.OneOf(
        Gen.Choose(-1000, 1000).Select(i => (decimal)i),
        from mantissa in Gen.Choose(-100_000_000, 100_000_000)
        from scale in Gen.Choose(0, 6)
        select new decimal(Math.Abs(mantissa), 0, 0, mantissa < 0, (byte)scale),
        from high in Gen.Choose(-999_999, 999_999)
        select high * 1_000_000_000m);

    /// <summary>A positive decimal span, never zero, of many magnitudes.</summary>
    public static Gen<decimal> PositiveDecimal { get; } = Gen.OneOf(
        Gen.Choose(1, 1000).Select(i => (decimal)i),
        Gen.Choose(1, 100_000_000).Select(i => i / 10_000m),
        Gen.Choose(1, 999_999).Select(i => i * 1_000_000_000m));

    /// <summary>A single-line title: words, accents, punctuation and characters JSON must escape.</summary>
    public static Gen<string> Title { get; } =
        from words in Gen.Elements("Grow", "revenue", "Delight", "customers", "Ship", "v2", "Réduire", "churn", "\"quoted\"", "a\\b", "<tag>", "naïve", "日本", "🚀", "50%", "—")
            .ListOf().Select(l => l.Take(12).ToList())
        from first in Gen.Elements("Launch", "Improve", "Cut", "Win")
        select string.Join(' ', words.Prepend(first));

    /// <summary>A multi-line text that may be empty.</summary>
    public static Gen<string> Note { get; } = Gen.OneOf(
        Gen.Constant(string.Empty),
        Title,
        Title.Two().Select(t => $"{t.Item1}\n{t.Item2}\twith tab\r\n"));

    /// <summary>Owners of every kind.</summary>
    public static Gen<OwnerRef> Owner { get; } =
        from kind in Gen.Elements(OwnerKind.Person, OwnerKind.Team, OwnerKind.OrganizationUnit)
        from id in Gen.Elements("E1042", "platform-team", "sales:emea", "42", "ünïcode", "x")
        select new OwnerRef(kind, id);

    /// <summary>Units of every kind.</summary>
    public static Gen<MeasureUnit> Unit { get; } = Gen.OneOf(
        Gen.Constant(MeasureUnit.Number),
        Gen.Constant(MeasureUnit.Percent),
        Gen.Elements("EUR", "USD", "JPY").Select(MeasureUnit.Currency),
        Gen.Elements("tickets", "ms", "NPS points").Select(MeasureUnit.Custom));

    /// <summary>Valid ordinal measures: 2 to 10 levels with distinct names and strictly increasing scores in 0..1.</summary>
    public static Gen<OrdinalMeasure> Ordinal { get; } =
        from count in Gen.Choose(2, OrdinalMeasure.MaxLevels)
        from marks in Gen.Choose(0, 1000).ListOf().Select(l => l.Concat([0, 1000]).Distinct().Order().ToList())
        from names in Gen.Elements("fail", "commit", "target", "stretch", "Ziel", "dépassé", "\"quoted\"", "日本", "🚀 rocket", "x").ListOf()
        let scores = marks.Count >= count ? marks.Take(count - 1).Append(marks[^1]).Select(m => m / 1000.0).ToList() : [.. Enumerable.Range(0, count).Select(i => i / (count - 1.0))]
        select new OrdinalMeasure(Enumerable.Range(0, count).Select(i => new OrdinalLevel(i < names.Count && !names.Take(i).Contains(names[i], StringComparer.OrdinalIgnoreCase) ? names[i] : $"level {i}", scores[i])));

    /// <summary>Valid measures of all eight types.</summary>
    public static Gen<Measure> Measure { get; } = Gen.OneOf(
        from b in Amount
        from span in PositiveDecimal
        from stretch in Gen.Elements(0m, 0m, 0.5m, 2m)
        from unit in Unit
        select (Measure)new IncreaseMeasure(b, b + span, stretch == 0m ? null : b + span + (span * stretch), unit),
        from b in Amount
        from span in PositiveDecimal
        from stretch in Gen.Elements(0m, 0m, 0.5m, 2m)
        from unit in Unit
        select (Measure)new DecreaseMeasure(b, b - span, stretch == 0m ? null : b - span - (span * stretch), unit),
        Amount.Zip(Unit).Select(t => (Measure)new StayAboveMeasure(t.Item1, t.Item2)),
        Amount.Zip(Unit).Select(t => (Measure)new StayBelowMeasure(t.Item1, t.Item2)),
        from low in Amount
        from span in PositiveDecimal
        from unit in Unit
        select (Measure)new WithinRangeMeasure(low, low + span, unit),
        Gen.Constant((Measure)new MilestoneMeasure()),
        from b in Amount
        from span in PositiveDecimal
        from up in Gen.Elements(true, false)
        from unit in Unit
        select (Measure)StagedMeasure.FromStretch(b, up ? b + span : b - span, unit),
        Ordinal.Select(o => (Measure)o));

    /// <summary>Valid key results.</summary>
    public static Gen<KeyResult> KeyResult { get; } =
        from id in KeyResultId
        from title in Title
        from measure in Measure
        from weight in Gen.Elements(1.0, 1.0, 0.0, 0.5, 2.5, 1e-3, 0.1)
        from owner in Gen.OneOf(Gen.Constant<OwnerRef?>(null), Owner.Select(o => (OwnerRef?)o))
        from source in Gen.Elements(ProgressSource.Measured, ProgressSource.Measured, ProgressSource.FromAlignedObjectives)
        from cancelled in Gen.Elements(false, false, false, true)
        select new KeyResult(id, title, measure, weight, owner, source, cancelled);

    /// <summary>Valid periods: calendar and fiscal quarters and years, custom ranges, in every state.</summary>
    public static Gen<OkrPeriod> Period { get; } =
        from id in PeriodId
        from year in Gen.Choose(2000, 2040)
        from quarter in Gen.Choose(1, 4)
        from startMonth in Gen.Choose(1, 12)
        from length in Gen.Choose(0, 400)
        from shape in Gen.Choose(0, 4)
        from state in Gen.Elements(PeriodState.Planning, PeriodState.Active, PeriodState.Closed, PeriodState.Archived)
        from reason in Gen.OneOf(Gen.Constant<string?>(null), Title.Select(t => (string?)t))
        from changedBy in Gen.OneOf(Gen.Constant<OwnerRef?>(null), Owner.Select(o => (OwnerRef?)o))
        from changedAt in Gen.OneOf(Gen.Constant<Instant?>(null), Instant.Select(i => (Instant?)i))
        let start = new LocalDate(year, startMonth, 1)
        let basic = shape switch
        {
            0 => OkrPeriod.CalendarQuarter(id, year, quarter),
            1 => OkrPeriod.CalendarYear(id, year),
            2 => OkrPeriod.FiscalQuarter(id, year, quarter, startMonth),
            3 => OkrPeriod.FiscalYear(id, year, startMonth),
            _ => OkrPeriod.Custom(id, "Custom cycle", start, start.PlusDays(length)),
        }
        select new OkrPeriod(basic.Id, basic.Name, basic.Dates, state, reason, changedBy, changedAt);

    /// <summary>Valid alignment links (to parents other than <paramref name="self"/>).</summary>
    /// <param name="self">The objective that will hold the links.</param>
    /// <returns>A generator of distinct-parent link lists.</returns>
    public static Gen<List<AlignmentLink>> Alignments(ObjectiveId self) =>
        (from parent in ObjectiveId
         from kr in Gen.OneOf(Gen.Constant<KeyResultId?>(null), KeyResultId.Select(k => (KeyResultId?)k))
         from weight in Gen.Elements(1.0, 0.5, 3.0, 0.0)
         from kind in Gen.Elements(AlignmentKind.Contributes, AlignmentKind.Supports)
         select new AlignmentLink(parent, kr, weight, kind))
        .ListOf().Select(l => l.Where(a => a.ParentObjectiveId != self).DistinctBy(a => (a.ParentObjectiveId, a.ParentKeyResultId)).Take(3).ToList());

    /// <summary>Valid final grades, computed or overridden.</summary>
    public static Gen<FinalGrade> Grade { get; } =
        from computed in Gen.Choose(0, 100).Select(i => i / 100.0)
        from overridden in Gen.Elements(false, true)
        from value in Gen.Choose(0, 10).Select(i => i / 10.0)
        from overrider in Owner
        from reason in Title
        select overridden ? FinalGrade.FromComputed(computed).Override(value, overrider, reason) : FinalGrade.FromComputed(computed);

    /// <summary>Valid objectives in every state, in the given period.</summary>
    /// <param name="periodId">The period the objectives belong to.</param>
    /// <returns>The generator.</returns>
    public static Gen<Objective> ObjectiveIn(PeriodId periodId) =>
        from id in ObjectiveId
        from title in Title
        from description in Note
        from owner in Owner
        from kind in Gen.Elements(ObjectiveKind.Aspirational, ObjectiveKind.Committed)
        from state in Gen.Elements(ObjectiveState.Draft, ObjectiveState.Active, ObjectiveState.Closed, ObjectiveState.Cancelled)
        from visibility in Gen.Elements(Visibility.Public, Visibility.Team, Visibility.Private)
        from krs in KeyResult.ListOf().Select(l => l.DistinctBy(k => k.Id).Take(6).ToList())
        from links in Alignments(id)
        from version in Gen.Choose(0, 1000)
        from created in Instant
        from later in Gen.Choose(0, 10_000_000)
        from grade in Grade
        from updatedBy in Gen.OneOf(Gen.Constant<OwnerRef?>(null), Owner.Select(o => (OwnerRef?)o))
        from reopenReason in Gen.OneOf(Gen.Constant<string?>(null), Gen.Constant<string?>(null), Note.Where(n => n.Trim().Length > 0).Select(n => (string?)n))
        from carriedFrom in Gen.OneOf(Gen.Constant<ObjectiveId?>(null), Gen.Constant<ObjectiveId?>(null), ObjectiveId.Where(c => c != id).Select(c => (ObjectiveId?)c))
        select new Objective(id, periodId, title, description, owner, kind, state, visibility, krs, links, version, created, created.Plus(Duration.FromSeconds(later)), state == ObjectiveState.Closed ? grade : null, updatedBy, reopenReason, carriedFrom);

    /// <summary>Valid objectives in any period.</summary>
    public static Gen<Objective> Objective { get; } = PeriodId.SelectMany(ObjectiveIn);

    /// <summary>A plain check-in (no correction) for the given key result.</summary>
    /// <param name="keyResultId">The key result.</param>
    /// <returns>The generator.</returns>
    public static Gen<CheckIn> CheckInFor(KeyResultId keyResultId) =>
        from id in CheckInId
        from value in Amount
        from author in Owner
        from effective in Instant
        from delay in Gen.Elements(0L, 0L, 1L, 3600L, 86_400L * 3)
        from confidence in Gen.OneOf(Gen.Constant<Confidence?>(null), Gen.Choose(0, 10).Select(i => (Confidence?)Confidence.FromTenPointScale(i)))
        from note in Note
        select new CheckIn(id, keyResultId, value, author, effective, effective.Plus(Duration.FromSeconds(delay)), confidence, note);

    /// <summary>
    /// A history of check-ins for one key result, with corrections (and corrections of corrections)
    /// mixed in; each correction is recorded after the check-in it corrects.
    /// </summary>
    /// <param name="keyResultId">The key result.</param>
    /// <returns>The generator.</returns>
    public static Gen<List<CheckIn>> HistoryFor(KeyResultId keyResultId) =>
        from plain in CheckInFor(keyResultId).ListOf().Select(l => l.ToList())
        from picks in Gen.Choose(0, int.MaxValue).ListOf().Select(l => l.ToList())
        from corrections in CheckInFor(keyResultId).ListOf().Select(l => l.ToList())
        from shift in Gen.Elements(0L, -3600L, 7200L)
        select AddCorrections(plain, picks, corrections, shift);

    /// <summary>A whole document: periods, objectives in them, and check-in histories for their key results.</summary>
    public static Gen<OkrDocument> Document { get; } =
        from tenant in TenantId
        from periods in Period.ListOf().Select(l => l.DistinctBy(p => p.Id).Take(3).ToList())
        from objectives in (periods.Count == 0 ? Gen.Constant(new List<Objective>()) : Gen.Elements(periods.ToArray()).SelectMany(p => ObjectiveIn(p.Id)).ListOf().Select(l => l.DistinctBy(o => o.Id).Take(5).ToList()))
        from histories in Gen.CollectToList(objectives.SelectMany(o => o.KeyResults).Select(k => HistoryFor(k.Id)).Take(6))
        from exportedAt in Gen.OneOf(Gen.Constant<Instant?>(null), Instant.Select(i => (Instant?)i))
        select new OkrDocument(tenant, periods, objectives, histories.SelectMany(h => h).ToList(), exportedAt);

    private static Guid MakeGuid(int a, int b, int c, int d)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, a);
        BitConverter.TryWriteBytes(bytes[4..], b);
        BitConverter.TryWriteBytes(bytes[8..], c);
        BitConverter.TryWriteBytes(bytes[12..], d);
        return new Guid(bytes);
    }

    private static List<CheckIn> AddCorrections(List<CheckIn> plain, List<int> picks, List<CheckIn> corrections, long shift)
    {
        var all = new List<CheckIn>(plain);
        for (var i = 0; i < corrections.Count && i < picks.Count && all.Count > 0; i++)
        {
            var target = all[picks[i] % all.Count];
            var c = corrections[i];
            var effective = target.EffectiveAt.Plus(Duration.FromSeconds(shift));
            var recorded = NodaTime.Instant.Max(target.RecordedAt, effective).Plus(Duration.FromSeconds(60));
            all.Add(new CheckIn(c.Id, target.KeyResultId, c.Value, c.Author, effective, recorded, c.Confidence, c.Note, target.Id));
        }

        return all.DistinctBy(c => c.Id).ToList();
    }
}
