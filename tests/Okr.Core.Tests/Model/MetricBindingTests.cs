using Okr.Core.Serialization;

namespace Okr.Core.Tests.Model;

/// <summary>A key result's binding to a source's figure: its bounds, its equality, and its place in okr/1.</summary>
public class MetricBindingTests
{
    [Fact]
    public void Names_and_keys_are_bounded_and_both_problems_are_reported()
    {
        _ = new MetricBinding(new string('a', MetricBinding.MaxSourceLength), new string('k', MetricBinding.MaxKeyLength));
        Assert.Equal((64, 200), (MetricBinding.MaxSourceLength, MetricBinding.MaxKeyLength));
        Assert.Equal(["Source", "Key"], TestData.All(() => _ = new MetricBinding("crm system", "")).Select(v => v.Member));
        Assert.Equal("Source", TestData.Single(() => _ = new MetricBinding(new string('a', MetricBinding.MaxSourceLength + 1), "k")).Member);
        Assert.Equal("Key", TestData.Single(() => _ = new MetricBinding("crm", new string('k', MetricBinding.MaxKeyLength + 1))).Member);
        Assert.Equal("Key", TestData.Single(() => _ = new MetricBinding("crm", "two\nlines")).Member);
        Assert.Equal(new MetricBinding("crm.eu-1_a", "pipeline"), new MetricBinding("crm.eu-1_a", "pipeline"));
        Assert.Equal("crm:pipeline", new MetricBinding("crm", "pipeline").ToString());
    }

    [Fact]
    public void A_binding_is_part_of_okr1_when_set()
    {
        var clock = TestData.Clock();
        var objective = TestData.Draft(clock);
        Assert.DoesNotContain("metric", OkrJson.SerializeObjective(objective), StringComparison.Ordinal);
        var bound = objective.WithKeyResults([objective.KeyResults[0].WithMetric(new MetricBinding("crm", "pipeline")), .. objective.KeyResults.Skip(1)], clock);
        var json = OkrJson.SerializeObjective(bound);
        Assert.Contains("\"metric\":{\"source\":\"crm\",\"key\":\"pipeline\"}", json, StringComparison.Ordinal);
        Assert.Equal(bound, OkrJson.DeserializeObjective(json));
        Assert.Contains("metric", Assert.Throws<OkrFormatException>(() => OkrJson.DeserializeObjective(json.Replace("\"crm\"", "\"c r m\"", StringComparison.Ordinal))).Message, StringComparison.Ordinal);
    }
}
