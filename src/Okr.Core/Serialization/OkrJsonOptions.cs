namespace Okr.Core.Serialization;

/// <summary>Limits and layout for reading and writing OKR documents.</summary>
public sealed record OkrJsonOptions
{
    /// <summary>
    /// The most violations one error names (100); beyond them a document's error says only how many more there are,
    /// so a document full of mistakes costs no more to reject than a valid one costs to read.
    /// </summary>
    public const int MaxReportedViolations = 100;

    /// <summary>The defaults: indented output, 256 MiB and nesting depth 32 at most on input.</summary>
    public static OkrJsonOptions Default { get; } = new();

    /// <summary>Whether output is indented for people to read; true by default.</summary>
    public bool Indented { get; init; } = true;

    /// <summary>The largest input accepted, in bytes of UTF-8; 256 MiB by default.</summary>
    public long MaxDocumentBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The deepest nesting of JSON objects and arrays accepted; 32 by default (okr/1 itself needs 6).</summary>
    public int MaxDepth { get; init; } = 32;

    internal void Validate()
    {
        var violations = new ViolationList();
        if (MaxDocumentBytes < 2)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(MaxDocumentBytes), $"MaxDocumentBytes must be ≥ 2; it is {MaxDocumentBytes}.");
        }

        if (MaxDepth is < 8 or > 1000)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(MaxDepth), $"MaxDepth must lie between 8 and 1000; it is {MaxDepth}.");
        }

        violations.ThrowIfAny();
    }
}
