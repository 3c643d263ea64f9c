using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Okr.Core.Serialization;
using Okr.Testing;

namespace Okr.Core.Tests.Serialization;

/// <summary>
/// The hand-written objective reader (the path stores take) must agree with the general reader: it reads
/// everything the writer produces, and whatever it accepts the general reader reads the same way.
/// </summary>
public class ObjectiveBodyReaderTests
{
    private static readonly string[] Instants =
    [
        "2026-01-05T09:00:00Z", "2024-02-29T23:59:59.123456789Z", "2026-02-29T00:00:00Z", "2026-01-05T24:00:00Z",
        "2026-01-05T09:60:00Z", "2026-01-05T09:00:60Z", "2026-13-01T00:00:00Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z", "2026-01-05T09:00:00.1Z", "2026-01-05T09:00:00.Z", "2026-01-05T09:00:00.1234567890Z",
        "2026-01-05T09:00:00+00:00", "2026-01-05 09:00:00Z", "2026-1-05T09:00:00Z", "+2026-01-05T09:00:00Z", "2026-01-05T09:00:00z",
        "2026-01-05T09:00:00.100Z", "2026-01-05T09:00:00,5Z", "2026-01-05T09:00:0aZ",
    ];

    /// <summary>Targeted edits: each makes the input unusual, wrong, or differently spelled but equal.</summary>
    private static readonly (string From, string To)[] Edits =
    [
        ("\"draft\"", "\"Draft\""), ("\"active\"", "\"ACTIVE\""), ("\"public\"", "\"pub\\u006cic\""), ("\"title\":\"", "\"title\":\"\\u0007"),
        ("\"title\":\"", "\"title\":\"  "), ("\"title\":\"", "\"tit\\u006ce\":\""), ("\"weight\":", "\"weight\":-"), ("\"weight\":", "\"weight\":1e400,\"x\":"),
        ("\"version\":", "\"version\":null,\"version\":"), ("\"version\":", "\"version\":1.5,\"v\":"), ("\"baseline\":", "\"baseline\":1e30,\"b\":"),
        ("\"target\":", "\"target\":null,\"t\":"), ("\"keyResults\":[", "\"keyResults\":[null,"), ("\"alignments\":[", "\"alignments\":[{},"),
        ("{\"id\":\"", "{\"extra\":true,\"id\":\""), ("\"cancelled\":false", "\"cancelled\":0"), ("\"cancelled\":false", "\"cancelled\":true"),
        ("\"unit\":\"", "\"unit\":\"custom:"), ("\"type\":\"", "\"type\":\"x"), ("\"kind\":\"", "\"kind\":\" "), ("\"owner\":{", "\"owner\":{\"kind\":\"team\","),
        ("\"description\":\"", "\"description\":\"line\\nbreak "), ("\"createdAt\":", "\"createdAt\":null,\"c\":"), ("}", " } "), (":", " : "), (",", ",,"),
        ("-", "-"), ("-7", "-7".ToUpperInvariant()), ("a", "A"), ("b", "B"), ("\"grade\":{", "\"grade\":{\"value\":0.5,"),
    ];

    /// <summary>Everything the writer produces takes the fast path and reads back equal.</summary>
    [Property(Arbitrary = new[] { typeof(OkrArbitraries) }, MaxTest = 300)]
    public void Reads_whatever_the_writer_writes(Objective objective)
    {
        var json = Encoding.UTF8.GetBytes(OkrJson.SerializeObjective(objective));

        Assert.True(ObjectiveBodyReader.TryRead(json, out var fast));
        Assert.Equal(objective, fast);
        Assert.Equal(OkrJson.SerializeObjective(objective), OkrJson.SerializeObjective(fast!));
    }

    /// <summary>On edited input, whatever the fast path accepts the general reader reads the same way, and the public reader behaves as the general one.</summary>
    [Property(Arbitrary = new[] { typeof(OkrArbitraries) }, MaxTest = 500)]
    public Property Accepts_nothing_the_general_reader_reads_differently(Objective objective) =>
        Prop.ForAll(Mutation.ToArbitrary(), mutate =>
        {
            var text = mutate(OkrJson.SerializeObjective(objective));
            var json = Encoding.UTF8.GetBytes(text);
            var general = Read(() => OkrJson.DeserializeObjectiveGeneral(json));
            var actual = Read(() => OkrJson.DeserializeObjective(json));
            Assert.Equal(general.Json, actual.Json);
            Assert.Equal(general.Error, actual.Error);
            if (ObjectiveBodyReader.TryRead(json, out var fast))
            {
                Assert.Null(general.Error);
                Assert.Equal(general.Json, OkrJson.SerializeObjective(fast!));
            }
        });

    [Fact]
    public void Falls_back_to_the_general_reader_for_the_message()
    {
        var objective = OkrGen.Objective.Sample(1, 1).Single();
        var json = OkrJson.SerializeObjective(objective).Replace("\"title\":\"", "\"title\":\"\\u0007", StringComparison.Ordinal);

        Assert.False(ObjectiveBodyReader.TryRead(Encoding.UTF8.GetBytes(json), out _));
        var error = Assert.Throws<OkrFormatException>(() => OkrJson.DeserializeObjective(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-02-29T23:59:59.123456789Z")]
    [InlineData("2026-01-05T09:00:00.1Z")]
    [InlineData("1678-01-01T00:00:00Z")]
    public void Reads_instants_as_the_iso_pattern_does(string instant)
    {
        var objective = OkrGen.Objective.Sample(1, 1).Single();
        var text = ReplaceMember(ReplaceMember(OkrJson.SerializeObjective(objective), "createdAt", instant), "updatedAt", "2262-01-01T23:59:59Z");
        var json = Encoding.UTF8.GetBytes(text);

        Assert.True(ObjectiveBodyReader.TryRead(json, out var fast));
        Assert.Equal(NodaTime.Text.InstantPattern.ExtendedIso.Parse(instant).Value, fast!.CreatedAt);
        Assert.Equal(OkrJson.DeserializeObjectiveGeneral(json).CreatedAt, fast.CreatedAt);
    }

    private static Gen<Func<string, string>> Mutation =>
        Gen.OneOf(
            Gen.Elements(Edits).Zip(Gen.Choose(0, 3)).Select(e => (Func<string, string>)(s => ReplaceNth(s, e.Item1.From, e.Item1.To, e.Item2))),
            Gen.Elements(Instants).Select(i => (Func<string, string>)(s => ReplaceMember(s, "createdAt", i))),
            Gen.Choose(0, 10_000).Select(p => (Func<string, string>)(s => s.Remove(p % s.Length, 1))),
            Gen.Choose(0, 10_000).Zip(Gen.Elements('"', ',', '{', '}', '[', ' ', '0', 'A', '\\', 'n', ':', '\u0001'))
                .Select(e => (Func<string, string>)(s => s.Insert(e.Item1 % s.Length, e.Item2.ToString()))));

    private static string ReplaceNth(string text, string from, string to, int n)
    {
        var at = -1;
        for (var i = 0; i <= n; i++)
        {
            var next = text.IndexOf(from, at + 1, StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }

            at = next;
        }

        return at < 0 ? text : text[..at] + to + text[(at + from.Length)..];
    }

    private static string ReplaceMember(string json, string member, string value) =>
        json.Replace($"\"{member}\":\"{Between(json, $"\"{member}\":\"", "\"")}\"", $"\"{member}\":\"{value}\"", StringComparison.Ordinal);

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static (string? Json, string? Error) Read(Func<Objective> read)
    {
        try
        {
            return (OkrJson.SerializeObjective(read()), null);
        }
        catch (OkrFormatException ex)
        {
            return (null, ex.Message);
        }
    }
}
