using Okr.Core.Alignment;
using Okr.Core.Scoring;

namespace Okr.Core.Tests.Alignment;

public class AlignmentGraphTests
{
    private static readonly NodaTime.Testing.FakeClock Clock = TestData.Clock();
    private static readonly PeriodId Period = new(Guid.NewGuid());

    private static Objective O(string title, params AlignmentLink[] links) =>
        Objective.Create(new ObjectiveId(Guid.NewGuid()), Period, title, OwnerRef.Team(title.Split(' ')[0]), Clock, keyResults: [TestData.Kr(title + " KR")], alignments: links);

    // company ← sales, product; product ← mobile; mobile also ← sales (a diamond); ops alone.
    private static (Objective Company, Objective Sales, Objective Product, Objective Mobile, Objective Ops) Org()
    {
        var company = O("company");
        var sales = O("sales", new AlignmentLink(company.Id, weight: 1));
        var product = O("product", new AlignmentLink(company.Id, weight: 3));
        var mobile = O("mobile", new AlignmentLink(product.Id), new AlignmentLink(sales.Id));
        var ops = O("ops");
        return (company, sales, product, mobile, ops);
    }

    private static AlignmentGraph Graph(out (Objective Company, Objective Sales, Objective Product, Objective Mobile, Objective Ops) org)
    {
        org = Org();
        return AlignmentGraph.Build([org.Mobile, org.Company, org.Ops, org.Product, org.Sales]);
    }

    [Fact]
    public void Parents_children_roots_and_unaligned()
    {
        var g = Graph(out var o);
        Assert.Equal(5, g.ObjectiveCount);
        Assert.Equal(5, g.KeyResultCount);
        Assert.Equal(4, g.EdgeCount);
        Assert.Equal([o.Product.Id, o.Sales.Id], g.Parents(o.Mobile.Id));
        Assert.Equal(new[] { o.Product.Id, o.Sales.Id }.Order(), g.Children(o.Company.Id).Order());
        Assert.Equal(new[] { o.Company.Id, o.Ops.Id }.Order(), g.Roots().Order());
        Assert.Equal([o.Ops.Id], g.Unaligned());
    }

    [Fact]
    public void Ancestors_and_descendants_count_a_diamond_once()
    {
        var g = Graph(out var o);
        Assert.Equal(new[] { o.Product.Id, o.Sales.Id, o.Company.Id }.Order(), g.Ancestors(o.Mobile.Id).Order());
        Assert.Equal(new[] { o.Product.Id, o.Sales.Id, o.Mobile.Id }.Order(), g.Descendants(o.Company.Id).Order());
        Assert.Empty(g.Ancestors(o.Company.Id));
    }

    [Fact]
    public void Paths_to_roots_follow_every_parent()
    {
        var g = Graph(out var o);
        var paths = g.PathsToRoots(o.Mobile.Id);
        Assert.Equal(2, paths.Count);
        Assert.Contains(paths, p => p.SequenceEqual([o.Mobile.Id, o.Product.Id, o.Company.Id]));
        Assert.Contains(paths, p => p.SequenceEqual([o.Mobile.Id, o.Sales.Id, o.Company.Id]));
        Assert.Single(g.PathsToRoots(o.Mobile.Id, maxPaths: 1));
    }

    [Fact]
    public void Contributions_multiply_normalised_weights_and_add_over_paths()
    {
        var g = Graph(out var o);
        var c = g.Contributions(o.Company.Id);
        Assert.Equal(0.25, c[o.Sales.Id], 12);
        Assert.Equal(0.75, c[o.Product.Id], 12);
        Assert.Equal(0.75 + 0.25, c[o.Mobile.Id], 12);   // all of product's and all of sales' input
    }

    [Fact]
    public void Coverage_per_owner_counts_objectives_with_a_parent()
    {
        var g = Graph(out var o);
        var coverage = g.CoverageByOwner().ToDictionary(c => c.Owner.ExternalId);
        Assert.Equal((1, 0, 0.0), (coverage["company"].Objectives, coverage["company"].Aligned, coverage["company"].Share));
        Assert.Equal((1, 1, 1.0), (coverage["mobile"].Objectives, coverage["mobile"].Aligned, coverage["mobile"].Share));
    }

    [Fact]
    public void Unknown_ids_are_reported_as_not_found()
    {
        var g = Graph(out _);
        Assert.Throws<OkrNotFoundException>(() => g.Parents(new ObjectiveId(Guid.NewGuid())));
        Assert.Throws<OkrNotFoundException>(() => g.Rollup(OkrScoring.Default, new Dictionary<KeyResultId, decimal>()).Update(new KeyResultId(Guid.NewGuid()), 1));
    }

    [Fact]
    public void A_cycle_in_the_input_is_rejected_with_its_path()
    {
        var a = O("a");
        var b = O("b", new AlignmentLink(a.Id));
        var c = O("c", new AlignmentLink(b.Id));
        var aClosed = a.WithAlignments([new AlignmentLink(c.Id)], Clock);
        var ex = Assert.Throws<OkrValidationException>(() => AlignmentGraph.Build([aClosed, b, c]));
        var violation = Assert.Single(ex.Violations);
        Assert.Equal(OkrErrorCodes.AlignmentCycle, violation.Code);
        foreach (var id in new[] { a.Id, b.Id, c.Id })
        {
            Assert.Contains(id.ToString(), violation.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_edit_that_would_close_a_cycle_is_rejected_with_the_path_and_changes_nothing()
    {
        var g = Graph(out var o);
        var closing = o.Company.WithAlignments([new AlignmentLink(o.Mobile.Id)], Clock);
        var violation = Assert.Single(g.CheckLinks(closing));
        Assert.Equal(OkrErrorCodes.AlignmentCycle, violation.Code);
        Assert.Contains($"{o.Company.Id} → {o.Mobile.Id} → ", violation.Message, StringComparison.Ordinal);
        Assert.EndsWith($"→ {o.Company.Id}.", violation.Message, StringComparison.Ordinal);

        Assert.Throws<OkrValidationException>(() => g.With(closing));
        Assert.Empty(g.Parents(o.Company.Id));
        Assert.Same(o.Company, g[o.Company.Id]);
    }

    [Fact]
    public void Links_to_missing_parents_and_key_results_are_named()
    {
        var g = Graph(out var o);
        var edited = o.Ops.WithAlignments([new AlignmentLink(new ObjectiveId(Guid.NewGuid())), new AlignmentLink(o.Company.Id, new KeyResultId(Guid.NewGuid()))], Clock);
        Assert.Equal([OkrErrorCodes.AlignmentTargetMissing, OkrErrorCodes.AlignmentTargetMissing], g.CheckLinks(edited).Select(v => v.Code));
    }

    [Fact]
    public void A_child_period_must_lie_inside_the_parents()
    {
        var year = OkrPeriod.CalendarYear(new PeriodId(Guid.NewGuid()), 2026);
        var q1 = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);
        var q1Next = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2027, 1);
        var periods = new[] { year, q1, q1Next }.ToDictionary(p => p.Id);
        var annual = Objective.Create(new ObjectiveId(Guid.NewGuid()), year.Id, "Annual", TestData.Alice, Clock);
        var g = AlignmentGraph.Build([annual]);
        OkrPeriod? Find(PeriodId id) => periods.GetValueOrDefault(id);

        var inside = Objective.Create(new ObjectiveId(Guid.NewGuid()), q1.Id, "Q1", TestData.Alice, Clock, alignments: [new AlignmentLink(annual.Id)]);
        var outside = Objective.Create(new ObjectiveId(Guid.NewGuid()), q1Next.Id, "Next Q1", TestData.Alice, Clock, alignments: [new AlignmentLink(annual.Id)]);
        Assert.Empty(g.CheckLinks(inside, Find));
        Assert.Equal(OkrErrorCodes.AlignmentPeriod, Assert.Single(g.CheckLinks(outside, Find)).Code);
        Assert.Empty(g.CheckLinks(outside));   // the check is optional
    }

    [Fact]
    public void With_adds_and_replaces_objectives_in_a_new_graph()
    {
        var g = Graph(out var o);
        var extra = O("extra", new AlignmentLink(o.Ops.Id));
        var g2 = g.With(extra);
        Assert.Equal(6, g2.ObjectiveCount);
        Assert.Equal([extra.Id], g2.Children(o.Ops.Id));
        Assert.Empty(g.Children(o.Ops.Id));
        var g3 = g2.With(extra.WithAlignments([], Clock));
        Assert.Empty(g3.Children(o.Ops.Id));
    }

    [Fact]
    public void Rollup_goes_from_children_to_parents_and_updates_touch_only_ancestors()
    {
        var g = Graph(out var o);
        var scoring = new OkrScoring(source: RollupSource.AlignedObjectives);
        var values = new Dictionary<KeyResultId, decimal> { [o.Mobile.KeyResults[0].Id] = 150, [o.Ops.KeyResults[0].Id] = 130 };
        var rollup = g.Rollup(scoring, values);

        Assert.Equal(0.5, rollup.Progress(o.Mobile.Id)!.Value, 12);    // KR 100 → 200, value 150
        Assert.Equal(0.5, rollup.Progress(o.Company.Id)!.Value, 12);   // everything flows from mobile
        Assert.Equal(0.3, rollup.Progress(o.Ops.Id)!.Value, 12);       // nobody aligned to ops: its own key result stands

        var updated = rollup.Update(o.Mobile.KeyResults[0].Id, 190);
        Assert.Equal(0.9, updated.Progress(o.Company.Id)!.Value, 12);
        Assert.Equal(0.9, updated.Progress(o.Mobile.KeyResults[0].Id)!.Value, 12);
        Assert.Equal(0.5, rollup.Progress(o.Company.Id)!.Value, 12);   // the old result is unchanged
        Assert.Equal(5, updated.UpdatedCount);                          // one key result and four objectives, ops untouched
    }
}
