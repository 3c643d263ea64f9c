using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Okr.Core;
using Okr.Core.Serialization;

namespace Okr.Benchmarks;

/// <summary>
/// Rejecting a hostile okr/1 document: 4.8 MiB of <c>null</c> check-ins (a million of them), against the cost of
/// merely parsing the same bytes into System.Text.Json's DOM. Allocation is the figure that matters.
/// </summary>
[MemoryDiagnoser]
public class HostileInput
{
    private byte[] _nulls = null!;

    [GlobalSetup]
    public void Setup() =>
        _nulls = Encoding.UTF8.GetBytes("{\"format\":\"okr/1\",\"tenant\":\"0192f0a1-2b3c-7d4e-8f50-6172839405a6\",\"checkIns\":[" + string.Join(",", Enumerable.Repeat("null", 1_000_000)) + "]}");

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse of the same 4.8 MiB (parse only)")]
    public int Parse()
    {
        using var document = JsonDocument.Parse(_nulls);
        return document.RootElement.GetProperty("checkIns").GetArrayLength();
    }

    [Benchmark(Description = "OkrJson.Deserialize: reject the document of a million null check-ins")]
    public int Reject()
    {
        try
        {
            OkrJson.Deserialize(_nulls);
            return 0;
        }
        catch (OkrFormatException ex)
        {
            return ex.Message.Length;
        }
    }
}
