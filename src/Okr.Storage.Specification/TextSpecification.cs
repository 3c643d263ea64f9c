using Okr.Core;
using Okr.Core.Serialization;
using Okr.Core.Storage;
using Xunit;

namespace Okr.Storage.Specification;

// Text: whatever the model accepts, every store keeps exactly, code unit for code unit, and the okr/1 writer and
// reader carry unchanged; what it refuses (lone surrogates, control characters, invisible formatting in one-line
// text) cannot reach a store at all.
public abstract partial class OkrStoreSpecification
{
    /// <summary>Characters that stores, drivers and encoders have been known to change or refuse.</summary>
    private static readonly string[] Pieces =
    [
        "a", "Z", "é", "e\u0301", "ß", "İ", "ı", "中文", "日本", "한", "עברית", "العربية", "فارسی\u200Cها", "👩\u200D💻", "🇩🇪", "𝔘", "\uD83D\uDE00",
        " ", "\u00A0", "\u3000", "'", "\"", "\\", "%", "_", "--", ";", "\u0000", "\u0007", "\u001B", "\u007F", "\u0085", "\n", "\r", "\t",
        "\u202E", "\u202A", "\u2066", "\u2069", "\u200E", "\u200F", "\u061C", "\u200B", "\u2060", "\uFEFF", "\uFFFD", "\uFFFE", "\uFFFF",
        "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "x\uD800y", "\u0301",
    ];

    /// <summary>Seeded random strings from the pieces: each is refused at construction, or kept exactly by the store and by okr/1.</summary>
    /// <returns>The test.</returns>
    [StoreFact]
    public Task Text_the_model_accepts_round_trips_exactly_and_the_rest_never_reaches_the_store() => WithStore(async store =>
    {
        var tenant = NewTenant();
        var random = new Random(20261128);
        var period = Quarter();
        await store.SavePeriodAsync(tenant, period, 0);
        var (kept, refused) = (0, 0);
        for (var i = 0; i < 80; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Pieces[random.Next(Pieces.Length)]));

            // One-line text: a title, an owner id and a unit label; multi-line text: a description and a note.
            Objective? objective = null;
            try
            {
                objective = new Objective(
                    new ObjectiveId(Guid.NewGuid()), period.Id, text, text, OwnerRef.Team(text), ObjectiveKind.Committed, ObjectiveState.Draft, Visibility.Public,
                    [new KeyResult(new KeyResultId(Guid.NewGuid()), text, new IncreaseMeasure(0m, 10m, unit: MeasureUnit.Custom(text)))], [], 0, Start, Start, null);
            }
            catch (OkrValidationException)
            {
                refused++;
            }

            CheckIn? note = null;
            try
            {
                note = new CheckIn(new CheckInId(Guid.NewGuid()), Kr, 1m, Author, Start, Start, note: text);
            }
            catch (OkrValidationException)
            {
                refused++;
            }

            if (objective is not null)
            {
                await store.SaveObjectiveAsync(tenant, objective, 0);
                var back = (await store.GetObjectiveAsync(tenant, objective.Id))!;
                Assert.Equal(text, back.Title, StringComparer.Ordinal);
                Assert.Equal(text, back.Description, StringComparer.Ordinal);
                Assert.Equal(text, back.Owner.ExternalId, StringComparer.Ordinal);
                Assert.Equal(text, back.KeyResults[0].Title, StringComparer.Ordinal);
                Assert.Equal(MeasureUnit.Custom(text), back.KeyResults[0].Measure.Unit);
                Assert.Equal(back, OkrJson.DeserializeObjective(OkrJson.SerializeObjective(back)));
                kept++;
            }

            if (note is not null)
            {
                await store.AppendCheckInAsync(tenant, note);
                Assert.Equal(text, (await store.GetCheckInAsync(tenant, note.Id))!.Note, StringComparer.Ordinal);
                kept++;
            }
        }

        // Both outcomes happened, and the whole tenant survives the okr/1 round trip unchanged.
        Assert.True(kept > 10 && refused > 10, $"{kept} kept, {refused} refused");
        var export = await store.ExportAsync(tenant);
        var again = OkrJson.Deserialize(OkrJson.Serialize(export));
        Assert.Equal(export.Objectives, again.Objectives);
        Assert.Equal(export.CheckIns, again.CheckIns);
    });
}
