using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

public abstract partial class OkrStoreSpecification
{
    /// <summary>The kinds of document no store may import, with the code and JSON path each must be refused with.</summary>
    private static readonly (string Broken, string Code, string Path)[] BrokenImports =
    [
        ("a cycle inside the document", OkrErrorCodes.AlignmentCycle, "$.objectives"),
        ("a cycle through a stored objective", OkrErrorCodes.AlignmentCycle, "$.objectives"),
        ("a link to an objective that exists nowhere", OkrErrorCodes.AlignmentTargetMissing, "$.objectives[0].alignments[0].parentObjectiveId"),
        ("a link to a key result its parent lacks", OkrErrorCodes.AlignmentTargetMissing, "$.objectives[0].alignments[0].parentKeyResultId"),
        ("an objective id twice", OkrErrorCodes.DuplicateId, "$.objectives[1].id"),
        ("a period id twice", OkrErrorCodes.DuplicateId, "$.periods[1].id"),
        ("a key result id twice", OkrErrorCodes.DuplicateId, "$.objectives[1].keyResults[0].id"),
        ("a check-in id twice", OkrErrorCodes.DuplicateId, "$.checkIns[1].id"),
    ];

    /// <summary>
    /// <see cref="IOkrStore.ImportAsync"/> skips the business rules but never stores what would break the data
    /// itself: every store refuses these documents with the same code and path, and writes nothing.
    /// </summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Import_refuses_what_would_break_the_data_and_writes_nothing() => WithStore(async store =>
    {
        foreach (var (broken, code, path) in BrokenImports)
        {
            await ImportRefusedAsync(store, broken, code, path);
        }
    });

    private static async Task ImportRefusedAsync(IOkrStore store, string broken, string code, string path)
    {
        var tenant = NewTenant();
        var period = Quarter();
        var x = NewObjective(period.Id, "X");
        var y = NewObjective(period.Id, "Y").WithAlignments([new AlignmentLink(x.Id)], new FixedClock(Start));
        await store.ImportAsync(tenant, new OkrDocument(tenant, [period], [x, y], []));
        var before = OkrJson.Serialize(await store.ExportAsync(tenant));

        var a = NewObjective(period.Id, "A");
        var b = NewObjective(period.Id, "B");
        var clock = new FixedClock(Start);
        var check = NewCheckIn(a.KeyResults[0].Id, 1);
        var document = broken switch
        {
            "a cycle inside the document" => Doc(a.WithAlignments([new AlignmentLink(b.Id)], clock), b.WithAlignments([new AlignmentLink(a.Id)], clock)),
            "a cycle through a stored objective" => Doc(x.WithAlignments([new AlignmentLink(y.Id)], clock)),
            "a link to an objective that exists nowhere" => Doc(a.WithAlignments([new AlignmentLink(new ObjectiveId(Guid.NewGuid()))], clock)),
            "a link to a key result its parent lacks" => Doc(a.WithAlignments([new AlignmentLink(x.Id, new KeyResultId(Guid.NewGuid()))], clock)),
            "an objective id twice" => Doc(a, a.WithTitle("Again", clock)),
            "a period id twice" => new OkrDocument(tenant, [period, period], [a], []),
            "a key result id twice" => Doc(a, NewObjective(period.Id, "B").WithKeyResults([a.KeyResults[0]], clock)),
            "a check-in id twice" => new OkrDocument(tenant, [period], [a], [check, check]),
            _ => throw new ArgumentOutOfRangeException(nameof(broken)),
        };

        var ex = await Assert.ThrowsAsync<OkrValidationException>(async () => await store.ImportAsync(tenant, document));
        Assert.True(ex.Violations.Any(v => v.Code == code && v.Member == path), $"{broken}: expected {code} at {path}, got {ex.Message}");
        Assert.Equal(before, OkrJson.Serialize(await store.ExportAsync(tenant)));

        OkrDocument Doc(params Objective[] objectives) => new(tenant, [period], objectives, []);
    }

    /// <summary>Links to objectives already stored (and to their key results) import fine.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Import_accepts_links_to_stored_objectives() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var period = Quarter();
        var parent = NewObjective(period.Id, "Parent");
        await store.ImportAsync(tenant, new OkrDocument(tenant, [period], [parent], []));
        var child = NewObjective(period.Id, "Child").WithAlignments([new AlignmentLink(parent.Id, parent.KeyResults[1].Id)], new FixedClock(Start));
        await store.ImportAsync(tenant, new OkrDocument(tenant, [], [child], []));
        Assert.Equal(child, await store.GetObjectiveAsync(tenant, child.Id));
    });
}
