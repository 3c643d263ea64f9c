using System.Text.Json;
using FsCheck.Xunit;
using NodaTime;
using Okr.Core.Serialization;
using Okr.Testing;

namespace Okr.Core.Tests.Serialization;

/// <summary>The model types through a host's own JSON options, as a web API sends and receives them.</summary>
public class WebJsonTests
{
    // Reflection off, as under native AOT: only what ConfigureWebOptions adds may resolve a type.
    private static readonly JsonSerializerOptions Web = OkrJson.ConfigureWebOptions(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static T RoundTrip<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Web), Web)!;

    [Property(Arbitrary = new[] { typeof(OkrArbitraries) })]
    public bool Objectives_round_trip(Objective objective) => RoundTrip(objective).Equals(objective) && OkrJson.SerializeObjective(RoundTrip(objective)) == OkrJson.SerializeObjective(objective);

    [Property(Arbitrary = new[] { typeof(OkrArbitraries) })]
    public bool Periods_round_trip(OkrPeriod period) => RoundTrip(period).Equals(period);

    [Property(Arbitrary = new[] { typeof(OkrArbitraries) })]
    public bool Key_results_measures_and_owners_round_trip(KeyResult keyResult, Measure measure, OwnerRef owner) =>
        RoundTrip(keyResult).Equals(keyResult) && RoundTrip(measure).Equals(measure) && RoundTrip(owner).Equals(owner);

    [Property(Arbitrary = new[] { typeof(OkrArbitraries) })]
    public bool Check_ins_and_ids_round_trip(KeyResult keyResult, ObjectiveId objective, CheckInId checkIn, Instant instant, OwnerRef author)
    {
        var recorded = new CheckIn(checkIn, keyResult.Id, 1234.5600m, author, instant, instant, new Confidence(0.25), "on track", null);
        return RoundTrip(recorded).Equals(recorded) && RoundTrip(recorded).Value.Scale == 4 && RoundTrip(objective) == objective && RoundTrip(checkIn) == checkIn && RoundTrip(instant) == instant;
    }

    [Fact]
    public void Ids_instants_and_enums_are_strings_and_a_measure_names_its_type()
    {
        var clock = TestData.Clock();
        var kr = new KeyResult(KeyResultId.New(clock), "Revenue", new IncreaseMeasure(100, 250.50m, unit: MeasureUnit.Currency("EUR")));
        var objective = Objective.Create(ObjectiveId.New(clock), PeriodId.New(clock), "Grow", OwnerRef.Team("sales"), clock, keyResults: [kr]);
        // The web API's own response type, resolved by its own source-generated context, the model types inside it by ours.
        var host = OkrJson.ConfigureWebOptions(new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = WebApiJsonContext.Default });
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(new Envelope(objective, objective.Id, clock.GetCurrentInstant()), host));
        var body = json.RootElement.GetProperty("objective");
        Assert.Equal(objective.Id.ToString(), json.RootElement.GetProperty("id").GetString());
        Assert.Equal("2026-01-05T09:00:00Z", json.RootElement.GetProperty("at").GetString());
        Assert.Equal("draft", body.GetProperty("state").GetString());   // as okr/1 writes them
        var measure = body.GetProperty("keyResults")[0].GetProperty("measure");
        Assert.Equal(("increase", 250.50m), (measure.GetProperty("type").GetString(), measure.GetProperty("target").GetDecimal()));

        // Read back with the model's rules: a broken one is named with its path.
        var broken = JsonSerializer.Serialize(objective, Web).Replace("\"Grow\"", "\"\"", StringComparison.Ordinal);
        var error = Assert.ThrowsAny<OkrException>(() => JsonSerializer.Deserialize<Objective>(broken, Web));
        Assert.Contains("title", error is OkrFormatException f ? f.Path + f.Message : error.Message, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A web API's own response type, holding model types.</summary>
internal sealed record Envelope(Objective Objective, ObjectiveId Id, Instant At);

/// <summary>The web API's own source-generated context, as an AOT host has one.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Envelope))]
internal sealed partial class WebApiJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
