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

/// <summary>Carry-over against its definition: the copy equals its source except for what carrying changes (issue 19, item 2).</summary>
public class CarryOverProperties
{
    private static readonly Gen<(Objective Objective, CarryOverOptions Options)> Cases =
        from generated in OkrGen.ObjectiveIn(new PeriodId(Guid.Parse("0192f0a1-0000-7000-8000-000000000001")))
            .Where(o => o.State != ObjectiveState.Cancelled && o.KeyResults.Count <= 5)
        let live = generated.KeyResults.Count(k => !k.IsCancelled)
        let objective = live is >= 3 and <= 5 || generated.State == ObjectiveState.Draft ? generated : AsDraft(generated)
        from activate in Gen.Elements(false, true)
        from links in Gen.Elements(CarriedAlignments.Repoint, CarriedAlignments.Keep, CarriedAlignments.Drop)
        select (objective, new CarryOverOptions { Activate = activate && objective.KeyResults.Count(k => !k.IsCancelled) >= 3, Alignments = links });

    // The rules an import checks hold only for 3 to 5 live key results in an active or closed objective.
    private static Objective AsDraft(Objective o) =>
        new(o.Id, o.PeriodId, o.Title, o.Description, o.Owner, o.Kind, ObjectiveState.Draft, o.Visibility, o.KeyResults, o.Alignments, o.Version, o.CreatedAt, o.UpdatedAt, null, o.UpdatedBy, o.ReopenReason, o.CarriedFrom);

    /// <summary>
    /// For random objectives (every measure type, owners, weights, visibility, kind, description, cancelled key results)
    /// the copy has the source's every field; only its ids, period, lineage, state, stamps and grade differ, and links to
    /// parents outside the target period are dropped.
    /// </summary>
    /// <returns>The property.</returns>
    [Property(MaxTest = 150)]
    public Property A_copy_equals_its_source_except_id_period_lineage_and_the_options_effects() =>
        Prop.ForAll(Cases.ToArbitrary(), input =>
        {
            var (source, options) = input;
            var tenant = new TenantId(Guid.NewGuid());
            var clock = new FakeClock(Instant.FromUtc(2026, 5, 4, 8, 0));
            var okr = new OkrService(new InMemoryOkrStore(), clock);
            var q1 = new OkrPeriod(source.PeriodId, "2026-Q1", new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)), PeriodState.Active);
            var q2 = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 2);

            // The parents the links name exist in Q1, so a re-pointing or keeping decision has something to look at.
            var parents = source.Alignments.Select(a => a.ParentObjectiveId).Distinct()
                .Select(id => new Objective(id, q1.Id, "Parent", string.Empty, OwnerRef.Team("p"), ObjectiveKind.Aspirational, ObjectiveState.Draft, Visibility.Public, source.Alignments.Where(a => a.ParentObjectiveId == id && a.ParentKeyResultId is not null).Select(a => TestData.Kr("Parent KR") is var kr ? new KeyResult(a.ParentKeyResultId!.Value, "Parent KR", kr.Measure) : kr).DistinctBy(k => k.Id), [], 1, clock.GetCurrentInstant(), clock.GetCurrentInstant(), null));
            okr.Transfer.ImportAsync(tenant, new OkrDocument(tenant, [q1, q2], [source, .. parents], [])).AsTask().GetAwaiter().GetResult();

            var carried = okr.Periods.CarryOverAsync(tenant, q1.Id, q2.Id, [source.Id], options).AsTask().GetAwaiter().GetResult().Single();
            var copy = carried.Copy;
            Assert.False(carried.AlreadyCarried);
            Assert.Equal(source.Id, copy.CarriedFrom);
            Assert.NotEqual(source.Id, copy.Id);
            Assert.Equal(q2.Id, copy.PeriodId);
            Assert.Equal(options.Activate ? ObjectiveState.Active : ObjectiveState.Draft, copy.State);
            Assert.Equal((1L, (FinalGrade?)null, (string?)null, clock.GetCurrentInstant()), (copy.Version, copy.Grade, copy.ReopenReason, copy.CreatedAt));

            // Every other field, through the okr/1 shape, with the changed members set back to the source's.
            var restored = new Objective(source.Id, source.PeriodId, copy.Title, copy.Description, copy.Owner, copy.Kind, source.State, copy.Visibility,
                copy.KeyResults.Zip(source.KeyResults, (c, s) => new KeyResult(s.Id, c.Title, c.Measure, c.Weight, c.Owner, c.ProgressSource, c.IsCancelled)),
                source.Alignments, source.Version, source.CreatedAt, source.UpdatedAt, source.Grade, source.UpdatedBy, source.ReopenReason, source.CarriedFrom);
            Assert.Equal(OkrJson.SerializeObjective(source), OkrJson.SerializeObjective(restored));
            Assert.Equal(source.KeyResults.Count, copy.KeyResults.Count);
            Assert.Empty(copy.KeyResults.Select(k => k.Id).Intersect(source.KeyResults.Select(k => k.Id)));

            // Quarter parents neither were carried nor hold Q2: every link is dropped and reported so.
            Assert.Empty(copy.Alignments);
            Assert.Equal(source.Alignments, carried.Links.Select(l => l.Source));
            Assert.All(carried.Links, l => Assert.Equal(CarriedLinkOutcome.Dropped, l.Outcome));
            return true;
        });
}
