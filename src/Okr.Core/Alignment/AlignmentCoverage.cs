namespace Okr.Core.Alignment;

/// <summary>How many of an owner's objectives are aligned to a parent.</summary>
/// <param name="Owner">The owner.</param>
/// <param name="Objectives">The owner's objectives in the graph, cancelled ones left out.</param>
/// <param name="Aligned">How many of them have a parent in the graph.</param>
public sealed record AlignmentCoverage(OwnerRef Owner, int Objectives, int Aligned)
{
    /// <summary>Aligned / Objectives, 0..1 (1 when the owner has no objectives).</summary>
    public double Share => Objectives == 0 ? 1 : (double)Aligned / Objectives;
}
