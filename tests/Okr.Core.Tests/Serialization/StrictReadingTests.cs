using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Okr.Core.Serialization;

namespace Okr.Core.Tests.Serialization;

/// <summary>
/// The okr/1 reader is strict and bounded by its input: duplicate members, enum names it does not define exactly, and
/// numbers a decimal would round are refused with their JSON path; errors never name internal types; at most 100
/// violations are named; rejecting a document costs memory in proportion to it.
/// </summary>
public class StrictReadingTests
{
    private const string Tenant = "0192f0a1-2b3c-7d4e-8f50-6172839405a6";
    private const string Period = """{"id":"0192f0a1-2b3c-7d4e-8f50-000000000001","name":"Q1","start":"2026-01-01","end":"2026-03-31","state":"active"}""";

    private static string Doc(string periods = "[" + Period + "]", string checkIns = "[]") =>
        $$"""{"format":"okr/1","tenant":"{{Tenant}}","periods":{{periods}},"objectives":[],"checkIns":{{checkIns}}}""";

    private static string CheckIn(string value) =>
        $$"""{"id":"0192f0a1-2b3c-7d4e-8f50-000000000009","keyResult":"0192f0a1-2b3c-7d4e-8f50-000000000008","value":{{value}},"author":{"kind":"person","id":"E1"},"effectiveAt":"2026-01-05T09:00:00Z","recordedAt":"2026-01-05T09:00:00Z"}""";

    private static OkrFormatException Refused(string json)
    {
        var error = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(json));
        AssertNamesNoInternalType(error.Message);
        return error;
    }

    private static void AssertNamesNoInternalType(string message) =>
        Assert.DoesNotMatch(@"Okr\.Core|Dto\b|System\.|NodaTime\.|List`", message);

    [Theory]
    [InlineData("""{"format":"okr/1","format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6"}""", "$")]
    [InlineData("""{"format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6","periods":[{"id":"0192f0a1-2b3c-7d4e-8f50-000000000001","name":"A","name":"B","start":"2026-01-01","end":"2026-03-31"}]}""", "$.periods[0]")]
    public void A_member_given_twice_is_refused_with_its_path(string json, string pathStart)
    {
        var error = Refused(json);
        Assert.StartsWith(pathStart, error.Path, StringComparison.Ordinal);
        Assert.Contains("uplicate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"active, closed\"")]
    [InlineData("\" active\"")]
    [InlineData("\"active \"")]
    [InlineData("\"Active\"")]
    [InlineData("1")]
    [InlineData("\"archived,planning\"")]
    public void Only_an_exact_enum_name_is_read(string state)
    {
        var error = Refused(Doc("[" + Period.Replace("\"active\"", state, StringComparison.Ordinal) + "]"));
        Assert.Equal("$.periods[0].state", error.Path);
        Assert.Contains("\"planning\", \"active\", \"closed\", \"archived\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e-30")]
    [InlineData("0.0000000000000000000000000000001")]
    [InlineData("1.00000000000000000000000000001")]
    [InlineData("79228162514264337593543950336")]
    [InlineData("1e29")]
    public void A_number_a_decimal_would_round_is_refused_with_its_path(string value)
    {
        var error = Refused(Doc(checkIns: "[" + CheckIn(value) + "]"));
        Assert.Equal("$.checkIns[0].value", error.Path);
        Assert.Contains("exactly", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1234.5600", "1234.5600")]
    [InlineData("1e2", "100")]
    [InlineData("1.5e-3", "0.0015")]
    [InlineData("-0.10", "-0.10")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("123456789012.1234567890123456", "123456789012.1234567890123456")]
    [InlineData("0.1234567890123456789012345678", "0.1234567890123456789012345678")]
    [InlineData("1.0000000000000000000000000000000e0", "1.0000000000000000000000000000")]
    public void A_number_a_decimal_holds_exactly_is_read_with_its_scale(string value, string expected)
    {
        var document = OkrJson.Deserialize(Doc(checkIns: "[" + CheckIn(value) + "]"));
        Assert.Equal(expected, document.CheckIns[0].Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Property(MaxTest = 500)]
    public bool Exact_decimals_round_trip_and_inexact_numbers_are_refused(decimal value, int shift)
    {
        // Any decimal written in plain or exponent form reads back equal (scale included); a digit beyond what a
        // decimal holds is refused.
        var text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var e = Math.Abs(shift % 5);
        var exponentForm = $"{text}e-{e}";
        var exact = ExactDecimalConverter.TryReadExact(Encoding.ASCII.GetBytes(text), out var read) && read == value && read.Scale == value.Scale;
        var shifted = ExactDecimalConverter.TryReadExact(Encoding.ASCII.GetBytes(exponentForm), out var readShifted);
        var expected = decimal.TryParse(exponentForm, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : (decimal?)null;
        var tooPrecise = ExactDecimalConverter.TryReadExact(Encoding.ASCII.GetBytes("0." + new string('1', 29) + "1"), out _);
        return exact && (!shifted || readShifted == expected) && !tooPrecise;
    }

    [Fact]
    public async Task A_leading_byte_order_mark_is_accepted()
    {
        var json = Doc();
        var withBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json)).ToArray();
        Assert.Single(OkrJson.Deserialize(withBom).Periods);
        Assert.Single(OkrJson.Deserialize("\uFEFF" + json).Periods);
        await using var stream = new MemoryStream(withBom);
        Assert.Single((await OkrJson.DeserializeAsync(stream)).Periods);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6","periods":{}}""")]
    [InlineData("""{"format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6","periods":[1]}""")]
    [InlineData("""{"format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6","periods":[{"id":"0192f0a1-2b3c-7d4e-8f50-000000000001"}]}""")]
    [InlineData("""{"format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6","checkIns":[{"value":"x"}]}""")]
    [InlineData("""{"format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6","objectives":[{"keyResults":true}]}""")]
    [InlineData("""{"format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6","exportedAt":5}""")]
    [InlineData("""{"format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6","unknown":5}""")]
    [InlineData("""{"format":"okr/1","tenant":"0192f0a1-2b3c-7d4e-8f50-6172839405a6","periods":[{"id":"0192f0a1-2b3c-7d4e-8f50-000000000001","name":"Q","start":"2026-01-01","end":"2026-03-31","version":"1"}]}""")]
    public void Errors_name_the_path_and_the_problem_never_an_internal_type(string json)
    {
        var error = Refused(json);
        Assert.StartsWith("$", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void At_most_100_violations_are_named_and_the_rest_counted()
    {
        var json = Doc(checkIns: "[" + string.Join(",", Enumerable.Repeat("null", 5_000)) + "]");
        var error = Refused(json);
        var inner = Assert.IsType<OkrValidationException>(error.InnerException);
        Assert.Equal(OkrJsonOptions.MaxReportedViolations + 1, inner.Violations.Count);
        Assert.Equal("$.checkIns[99]", inner.Violations[99].Member);
        Assert.Equal("… and 4900 more.", inner.Violations[^1].Message);
        Assert.True(error.Message.Length < 20_000, $"The message has {error.Message.Length} characters.");
    }

    [Fact]
    public void Rejecting_a_document_of_nulls_costs_memory_in_proportion_to_it()
    {
        // The 4.8 MiB document of the attack: a million null check-ins (it allocated 1.2 GiB before).
        var bytes = Encoding.UTF8.GetBytes(Doc(checkIns: "[" + string.Join(",", Enumerable.Repeat("null", 1_000_000)) + "]"));
        var allocated = Allocated(() => Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(bytes)));
        Assert.True(allocated <= Bound(bytes.Length), $"Rejecting {bytes.Length} bytes allocated {allocated} bytes.");
    }

    [Property(MaxTest = 25)]
    public Property Invalid_documents_are_refused_with_typed_errors_and_bounded_memory() =>
        Prop.ForAll(InvalidDocument.ToArbitrary(), bytes =>
        {
            Exception? error = null;
            var allocated = Allocated(() =>
            {
                try
                {
                    OkrJson.Deserialize(bytes);
                }
                catch (Exception ex)
                {
                    error = ex;
                }
            });
            return error is OkrFormatException or OkrValidationException
                && allocated <= Bound(bytes.Length)
                && !System.Text.RegularExpressions.Regex.IsMatch(error.Message[..Math.Min(error.Message.Length, 4000)], @"Okr\.Core|Dto\b|System\.|List`");
        });

    /// <summary>8× the input, plus a fixed allowance for what any call costs (the serializer's metadata, the exception).</summary>
    private static long Bound(int inputBytes) => (8L * inputBytes) + (512 * 1024);

    private static long Allocated(Action action)
    {
        action();   // warm: the first call builds the serializer's metadata
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>
    /// A valid document of 200–20 000 check-ins (about 40 KiB to 4 MiB) with one kind of damage: nulls in a list, a
    /// member given twice, a comma-joined enum, a rounded number, a wrong type, truncation, or a broken id.
    /// </summary>
    private static readonly Gen<byte[]> InvalidDocument =
        from count in Gen.Choose(200, 20_000)
        from damage in Gen.Choose(0, 6)
        from at in Gen.Choose(0, 1_000_000)
        select Damaged(count, damage, at);

    private static byte[] Damaged(int count, int damage, int at)
    {
        var items = Enumerable.Range(0, count).Select(i => CheckIn("1.5").Replace("000000000009", $"{i:D12}", StringComparison.Ordinal)).ToList();
        var index = at % count;
        switch (damage)
        {
            case 0:
                for (var i = index; i < count; i += 3)
                {
                    items[i] = "null";
                }

                break;
            case 1:
                items[index] = items[index].Replace("\"value\":1.5", "\"value\":1.5,\"value\":2", StringComparison.Ordinal);
                break;
            case 2:
                items[index] = items[index].Replace("\"kind\":\"person\"", "\"kind\":\"person, team\"", StringComparison.Ordinal);
                break;
            case 3:
                items[index] = items[index].Replace("\"value\":1.5", "\"value\":1e-40", StringComparison.Ordinal);
                break;
            case 4:
                items[index] = items[index].Replace("\"value\":1.5", "\"value\":[1]", StringComparison.Ordinal);
                break;
            case 5:
                var whole = Doc(checkIns: "[" + string.Join(",", items) + "]");
                return Encoding.UTF8.GetBytes(whole[..(int)((long)whole.Length * (index + 1) / (count + 1))]);
            default:
                items[index] = items[index].Replace("0192f0a1-2b3c-7d4e-8f50-000000000008", "not-a-guid", StringComparison.Ordinal);
                break;
        }

        return Encoding.UTF8.GetBytes(Doc(checkIns: "[" + string.Join(",", items) + "]"));
    }
}
