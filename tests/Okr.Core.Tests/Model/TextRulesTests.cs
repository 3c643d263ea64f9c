using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Okr.Core.Serialization;

namespace Okr.Core.Tests.Model;

/// <summary>
/// The text rules in one place: the model and the okr/1 reader accept and refuse exactly the same strings, by an
/// independent statement of the rules (decoding runes), and what they accept is kept code unit for code unit.
/// </summary>
public class TextRulesTests
{
    private static readonly string[] Pieces =
    [
        "a", "é", "e\u0301", "中文", "עברית", "العربية", "فارسی\u200Cها", "👩\u200D💻", "🇩🇪", "\uD83D\uDE00", " ", "\u00A0", "'", "\"", "\\",
        "\u0000", "\u0007", "\u007F", "\u0085", "\n", "\r", "\t", "\u202E", "\u202A", "\u2066", "\u2069", "\u200E", "\u200F", "\u061C", "\u200B",
        "\u2060", "\uFEFF", "\uFFFD", "\uFFFF", "\uD800", "\uDBFF", "\uDC00", "x\uD800y", "\u0301",
    ];

    private static readonly Gen<string> Texts =
        from n in Gen.Choose(1, 5)
        from parts in Gen.Elements(Pieces).ListOf(n)
        select string.Concat(parts);

    [Property(MaxTest = 400)]
    public Property One_line_and_multi_line_text_follow_the_rules_in_the_model_and_the_reader() =>
        Prop.ForAll(Texts.ToArbitrary(), text =>
        {
            var expectedTitle = Allowed(text, multiLine: false) && !string.IsNullOrWhiteSpace(text);   // titles and owner ids must not be blank
            var expectedNote = Allowed(text, multiLine: true);
            var title = Accepts(() => Objective.Create(ObjectiveId.New(TestData.Clock()), new PeriodId(Guid.NewGuid()), text, TestData.Alice, TestData.Clock()).Title);
            var owner = Accepts(() => OwnerRef.Person(text).ExternalId);
            var note = Accepts(() => CheckIn.Record(CheckInId.New(TestData.Clock()), new KeyResultId(Guid.NewGuid()), 1m, TestData.Alice, TestData.Clock(), note: text).Note);
            var read = ReadTitle(text);
            return (title is not null) == expectedTitle
                && (owner is not null) == expectedTitle
                && (note is not null) == expectedNote
                && (read is not null) == expectedTitle
                && (title is null || (title == text && read == text && owner == text))
                && (note is null || note == text);
        });

    [Theory]
    [InlineData("Revenue \u202Eevil", false, true)]
    [InlineData("فارسی\u200Cها", true, true)]
    [InlineData("👩\u200D💻 team", true, true)]
    [InlineData("zero\u200Bwidth", false, true)]
    [InlineData("line\nbreak", false, true)]
    public void Published_cases(string text, bool oneLine, bool multiLine)
    {
        Assert.Equal(oneLine, Allowed(text, multiLine: false));
        Assert.Equal(multiLine, Allowed(text, multiLine: true));
        var violation = oneLine ? null : TestData.Single(() => OwnerRef.Team(text));
        Assert.True(violation is null || violation.Code is OkrErrorCodes.InvisibleFormatting or OkrErrorCodes.BrokenText or OkrErrorCodes.ControlCharacters);
    }

    [Fact]
    public void A_lone_surrogate_is_refused_everywhere()
    {
        // (Not an InlineData: test-case serialization would replace the half character.)
        foreach (var text in new[] { "lone \uD800 half", "\uDC00", "end \uDBFF" })
        {
            Assert.False(Allowed(text, multiLine: true));
            Assert.Equal(OkrErrorCodes.BrokenText, TestData.Single(() => OwnerRef.Team(text)).Code);
            Assert.Equal(OkrErrorCodes.BrokenText, Assert.Single(Assert.Throws<OkrValidationException>(() => CheckIn.Record(CheckInId.New(TestData.Clock()), new KeyResultId(Guid.NewGuid()), 1m, TestData.Alice, TestData.Clock(), note: text)).Violations).Code);
            Assert.Null(ReadTitle(text));
        }
    }

    /// <summary>The rules stated again, independently: decode runes; refuse broken ones, controls, and in one-line text invisible formatting.</summary>
    private static bool Allowed(string text, bool multiLine)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done)
            {
                return false;
            }

            if (Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.Control && !(multiLine && rune.Value is '\n' or '\r' or '\t'))
            {
                return false;
            }

            if (!multiLine && rune.Value is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0x200E or 0x200F or 0x061C or 0x200B or 0x2060 or 0xFEFF)
            {
                return false;
            }

            rest = rest[used..];
        }

        return true;
    }

    private static string? Accepts(Func<string> build)
    {
        try
        {
            return build();
        }
        catch (OkrValidationException)
        {
            return null;
        }
    }

    /// <summary>A JSON string with every code unit outside printable ASCII escaped, lone surrogates included (as a hostile writer would).</summary>
    private static string Escaped(string text) =>
        "\"" + string.Concat(text.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}")) + "\"";

    /// <summary>An okr/1 document whose objective title is the text, every unusual code unit escaped.</summary>
    private static string? ReadTitle(string text)
    {
        var period = OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1);
        var objective = Objective.Create(ObjectiveId.New(TestData.Clock()), period.Id, "PLACEHOLDER", TestData.Alice, TestData.Clock());
        var json = OkrJson.Serialize(new OkrDocument(new TenantId(Guid.NewGuid()), [period], [objective], []))
            .Replace("\"PLACEHOLDER\"", Escaped(text), StringComparison.Ordinal);
        try
        {
            return OkrJson.Deserialize(json).Objectives[0].Title;
        }
        catch (OkrFormatException)
        {
            return null;
        }
    }
}
