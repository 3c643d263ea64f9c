namespace Okr.Core.Alignment;

/// <summary>How many of an owner's objectives are aligned to a parent.</summary>
public sealed class AlignmentCoverage
{
    internal AlignmentCoverage(OwnerRef owner, int objectives, int aligned)
    {
        Owner = owner;
        Objectives = objectives;
        Aligned = aligned;
    }

    /// <summary>The owner.</summary>
    public OwnerRef Owner { get; }

    /// <summary>The owner's objectives in the graph, cancelled ones left out.</summary>
    public int Objectives { get; }

    /// <summary>How many of them have a parent in the graph.</summary>
    public int Aligned { get; }

    /// <summary>Aligned / Objectives, 0..1 (1 when the owner has no objectives).</summary>
    public double Share => Objectives == 0 ? 1 : (double)Aligned / Objectives;
}
