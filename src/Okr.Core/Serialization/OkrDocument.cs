using NodaTime;

namespace Okr.Core.Serialization;

/// <summary>
/// Everything one tenant exports or imports: periods, objectives (with their key results and
/// alignments) and check-ins. Serialized by <see cref="OkrJson"/> as the versioned
/// <c>okr/1</c> JSON format.
/// </summary>
/// <param name="TenantId">The tenant the data belongs to.</param>
/// <param name="Periods">The periods.</param>
/// <param name="Objectives">The objectives.</param>
/// <param name="CheckIns">The check-ins, including corrections.</param>
/// <param name="ExportedAt">When the document was made, if known.</param>
public sealed record OkrDocument(
    TenantId TenantId,
    IReadOnlyList<OkrPeriod> Periods,
    IReadOnlyList<Objective> Objectives,
    IReadOnlyList<CheckIn> CheckIns,
    Instant? ExportedAt = null)
{
    /// <summary>The format version this library writes for documents without ordinal measures, and reads.</summary>
    public const string CurrentFormat = "okr/1";

    /// <summary>
    /// <c>okr/1</c> plus the <see cref="OrdinalMeasure"/>: written only for a document that holds one, so a reader
    /// of <c>okr/1</c> keeps reading every other document and refuses this one by its version instead of misreading
    /// it. This library reads both.
    /// </summary>
    public const string OrdinalFormat = "okr/2";
}
