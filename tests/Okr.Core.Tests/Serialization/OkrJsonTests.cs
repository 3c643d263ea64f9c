using System.Text;
using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Okr.Core.Serialization;
using Okr.Testing;

namespace Okr.Core.Tests.Serialization;

public class OkrJsonTests
{
    private static OkrDocument Sample()
    {
        var clock = TestData.Clock();
        var period = TestData.Quarter();
        var revenue = TestData.Kr("Revenue", new IncreaseMeasure(1000.50m, 2500.25m, 3000m, MeasureUnit.Currency("EUR")), 2);
        var objective = Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, "Delight our customers", TestData.Alice, clock, keyResults: [revenue, TestData.Kr("Key result 2"), TestData.Kr("Key result 3")]);
        return Build(clock, period, objective);
    }

    private static OkrDocument Build(NodaTime.Testing.FakeClock clock, OkrPeriod period, Objective objective)
    {
        var checkIn = CheckIn.Record(CheckInId.New(clock), objective.KeyResults[0].Id, 1234.5600m, TestData.Alice, clock, confidence: new Confidence(0.7), note: "first week");
        return new OkrDocument(new TenantId(Guid.NewGuid()), [period], [objective], [checkIn], TestData.Start);
    }

    /// <summary>Any generated document survives write-then-read unchanged.</summary>
    [Property(Arbitrary = new[] { typeof(OkrArbitraries) }, MaxTest = 200)]
    public void Round_trip_is_lossless(OkrDocument document)
    {
        var back = OkrJson.Deserialize(OkrJson.Serialize(document));
        AssertSame(document, back);

        var compact = OkrJson.Deserialize(OkrJson.SerializeToUtf8Bytes(document, new OkrJsonOptions { Indented = false }));
        AssertSame(document, compact);
    }

    [Fact]
    public void Output_is_versioned_camel_case_iso_and_exact()
    {
        var doc = Sample();
        var json = JsonNode.Parse(OkrJson.Serialize(doc))!;

        Assert.Equal("okr/1", (string?)json["format"]);
        Assert.Equal(doc.TenantId.ToString(), (string?)json["tenant"]);
        Assert.Equal("2026-01-05T09:00:00Z", (string?)json["exportedAt"]);
        Assert.Equal("2026-01-01", (string?)json["periods"]![0]!["start"]);
        Assert.Equal("active", (string?)json["periods"]![0]!["state"]);
        var measure = json["objectives"]![0]!["keyResults"]![0]!["measure"]!;
        Assert.Equal("increase", (string?)measure["type"]);
        Assert.Equal("currency:EUR", (string?)measure["unit"]);
        Assert.Equal("1000.50", measure["baseline"]!.ToJsonString());
        Assert.Equal("1234.5600", json["checkIns"]![0]!["value"]!.ToJsonString());
        Assert.Equal(0.7, (double)json["checkIns"]![0]!["confidence"]!);
    }

    [Fact]
    public async Task Stream_round_trip_matches_string_round_trip()
    {
        var doc = Sample();
        using var stream = new MemoryStream();
        await OkrJson.SerializeAsync(doc, stream);
        stream.Position = 0;
        AssertSame(doc, await OkrJson.DeserializeAsync(stream));
    }

    [Theory]
    [InlineData("", "$")]
    [InlineData("[]", "$")]
    [InlineData("{\"format\": \"okr/1\", ", "$")]
    [InlineData("{\"tenant\": \"x\"}", "$.format")]
    [InlineData("{\"format\": 1}", "$.format")]
    public void Malformed_input_fails_with_the_place_named(string json, string path)
    {
        var ex = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(json));
        Assert.Equal(path, ex.Path);
    }

    [Fact]
    public void Unknown_versions_are_named_as_such()
    {
        var ex = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize("{\"format\": \"okr/3\", \"tenant\": {\"new\": true}}"));
        Assert.Equal("$.format", ex.Path);
        Assert.Contains("okr/3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("okr/2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("okr/1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$.objectives[0].title", "\"title\": \"Delight our customers\"", "\"title\": \"   \"")]
    [InlineData("$.objectives[0].keyResults[1].measure.target", "\"target\": 200", "\"target\": 100")]
    [InlineData("$.objectives[0].keyResults[0].weight", "\"weight\": 2", "\"weight\": -2")]
    [InlineData("$.checkIns[0].effectiveAt", "\"effectiveAt\": \"2026-01-05T09:00:00Z\"", "\"effectiveAt\": \"2026-01-06T09:00:00Z\"")]
    [InlineData("$.periods[0].end", "\"end\": \"2026-03-31\"", "\"end\": \"2025-03-31\"")]
    public void Values_that_break_the_model_fail_at_their_json_path(string path, string good, string bad)
    {
        var json = OkrJson.Serialize(Sample());
        Assert.Contains(good, json, StringComparison.Ordinal);
        var ex = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(ReplaceFirst(json, good, bad)));
        Assert.Equal(path, ex.Path);
    }

    [Fact]
    public void A_period_ending_before_it_starts_is_named_as_a_period_error()
    {
        var json = ReplaceFirst(OkrJson.Serialize(Sample()), "\"end\": \"2026-03-31\"", "\"end\": \"2025-03-31\"");
        var ex = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(json));
        var violation = Assert.Single(Assert.IsType<OkrValidationException>(ex.InnerException).Violations);
        Assert.Equal((OkrErrorCodes.PeriodDatesOutOfOrder, "$.periods[0].end"), (violation.Code, violation.Member));
    }

    [Theory]
    [InlineData("\"state\": \"active\"", "\"state\": \"paused\"")]
    [InlineData("\"state\": \"active\"", "\"state\": 1")]
    [InlineData("\"note\": \"first week\"", "\"note\": \"first week\", \"mood\": \"great\"")]
    [InlineData("\"value\": 1234.5600", "\"value\": null")]
    [InlineData("\"value\": 1234.5600", "\"value\": \"1234\"")]
    [InlineData("\"tenant\": \"", "\"tenant\": \"00000000-0000-0000-0000-000000000000\", \"x\": \"")]
    public void Unknown_members_names_and_wrong_types_are_rejected_with_a_path(string good, string bad)
    {
        var json = OkrJson.Serialize(Sample());
        Assert.Contains(good, json, StringComparison.Ordinal);
        var ex = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(ReplaceFirst(json, good, bad)));
        Assert.StartsWith("$", ex.Path, StringComparison.Ordinal);
        Assert.NotEqual("$", ex.Path);
    }

    [Fact]
    public void Missing_required_members_are_named()
    {
        var ex = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize("{\"format\": \"okr/1\"}"));
        Assert.Contains("tenant", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_measure_missing_a_level_is_named()
    {
        var json = OkrJson.Serialize(Sample());
        var ex = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(ReplaceFirst(json, "\"baseline\": 100,", string.Empty)));
        Assert.Equal("$.objectives[0].keyResults[1].measure.baseline", ex.Path);
    }

    [Fact]
    public void Every_model_violation_is_listed_not_just_the_first()
    {
        var json = OkrJson.Serialize(Sample());
        json = ReplaceFirst(json, "\"title\": \"Delight our customers\"", "\"title\": \"\"");
        json = ReplaceFirst(json, "\"target\": 200", "\"target\": 100");
        var ex = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(json));
        var inner = Assert.IsType<OkrValidationException>(ex.InnerException);
        Assert.Equal(["$.objectives[0].keyResults[1].measure.target", "$.objectives[0].title"], inner.Violations.Select(v => v.Member).Order());
    }

    [Fact]
    public async Task Oversized_input_is_refused_before_it_is_parsed()
    {
        var json = OkrJson.Serialize(Sample());
        var options = new OkrJsonOptions { MaxDocumentBytes = 100 };
        Assert.Contains("MaxDocumentBytes", Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(json, options)).Message, StringComparison.Ordinal);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        await Assert.ThrowsAsync<OkrFormatException>(() => OkrJson.DeserializeAsync(stream, options));
    }

    [Fact]
    public void Deeply_nested_input_is_refused()
    {
        var deep = "{\"format\": \"okr/1\", \"tenant\": " + new string('[', 100) + new string(']', 100) + "}";
        var ex = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(deep));
        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Invalid_limits_are_rejected() =>
        Assert.Throws<OkrValidationException>(() => OkrJson.Deserialize("{}", new OkrJsonOptions { MaxDepth = 2 }));

    /// <summary>A hand-written document leaves optional members out; each takes its documented default.</summary>
    [Fact]
    public void Optional_members_left_out_take_their_defaults()
    {
        var tenant = Guid.NewGuid();
        var json = $$$"""
            {"format": "okr/1", "tenant": "{{{tenant}}}",
             "objectives": [{"id": "{{{Guid.NewGuid()}}}", "periodId": "{{{Guid.NewGuid()}}}", "title": "Minimal",
               "owner": {"kind": "team", "id": "t"}, "createdAt": "2026-01-05T09:00:00Z", "updatedAt": "2026-01-05T09:00:00Z",
               "keyResults": [{"id": "{{{Guid.NewGuid()}}}", "title": "KR", "measure": {"type": "increase", "baseline": 0, "target": 10}}],
               "alignments": [{"objective": "{{{Guid.NewGuid()}}}"}]},
              {"id": "{{{Guid.NewGuid()}}}", "periodId": "{{{Guid.NewGuid()}}}", "title": "Bare",
               "owner": {"kind": "team", "id": "t"}, "createdAt": "2026-01-05T09:00:00Z", "updatedAt": "2026-01-05T09:00:00Z"}],
             "checkIns": [{"id": "{{{Guid.NewGuid()}}}", "keyResult": "{{{Guid.NewGuid()}}}", "value": 1, "author": {"kind": "person", "id": "p"},
               "effectiveAt": "2026-01-05T09:00:00Z", "recordedAt": "2026-01-05T09:00:00Z"}]}
            """;

        var document = OkrJson.Deserialize(json);

        var minimal = document.Objectives[0];
        Assert.Equal((string.Empty, ObjectiveKind.Aspirational, ObjectiveState.Draft, Visibility.Public, 0L, (OwnerRef?)null), (minimal.Description, minimal.Kind, minimal.State, minimal.Visibility, minimal.Version, minimal.UpdatedBy));
        Assert.Equal((1.0, ProgressSource.Measured, false, MeasureUnit.Number), (minimal.KeyResults[0].Weight, minimal.KeyResults[0].ProgressSource, minimal.KeyResults[0].IsCancelled, minimal.KeyResults[0].Measure.Unit));
        Assert.Equal((1.0, AlignmentKind.Contributes, (KeyResultId?)null), (minimal.Alignments[0].Weight, minimal.Alignments[0].Kind, minimal.Alignments[0].ParentKeyResultId));
        Assert.Empty(document.Objectives[1].KeyResults);
        Assert.Empty(document.Objectives[1].Alignments);
        Assert.Equal((string.Empty, (Confidence?)null, (CheckInId?)null), (document.CheckIns[0].Note, document.CheckIns[0].Confidence, document.CheckIns[0].Corrects));
        Assert.Empty(document.Periods);
        Assert.Null(document.ExportedAt);
    }

    [Fact]
    public void A_null_list_element_is_named_not_a_crash()
    {
        var json = ReplaceFirst(OkrJson.Serialize(Sample()), "\"keyResults\": [", "\"keyResults\": [null,");

        var error = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(json));
        Assert.Equal("$.objectives[0].keyResults[0]", error.Path);
    }

    [Fact]
    public void A_broken_surrogate_pair_is_a_format_error()
    {
        var json = ReplaceFirst(OkrJson.Serialize(Sample()), "Delight our customers", "Delight \\ud83d customers");

        var error = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize(json));
        Assert.Equal("$.objectives[0].title", error.Path);

        // The format member is read before the serializer runs; a broken escape there is named too.
        var format = Assert.Throws<OkrFormatException>(() => OkrJson.Deserialize("{\"format\": \"okr/1\\ud83d\"}"));
        Assert.Contains("not valid text", format.Message, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var i = text.IndexOf(old, StringComparison.Ordinal);
        return text[..i] + replacement + text[(i + old.Length)..];
    }

    private static void AssertSame(OkrDocument expected, OkrDocument actual)
    {
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.ExportedAt, actual.ExportedAt);
        Assert.Equal(expected.Periods, actual.Periods);
        Assert.Equal(expected.Objectives, actual.Objectives);
        Assert.Equal(expected.CheckIns, actual.CheckIns);

        // decimal equality ignores scale; exactness also means 1.50 stays 1.50.
        Assert.Equal(expected.CheckIns.Select(c => c.Value.Scale), actual.CheckIns.Select(c => c.Value.Scale));
    }
}
