namespace Okr.Core.Scoring;

/// <summary>The progress of one aligned child objective, as seen by its parent.</summary>
public sealed class ChildProgress
{
    /// <summary>Initializes a new instance of the <see cref="ChildProgress"/> class.</summary>
    /// <param name="child">The child objective.</param>
    /// <param name="link">The child's link to the parent (one of <c>Child.Alignments</c>).</param>
    /// <param name="progress">The child's own progress, or null when it has no data.</param>
    public ChildProgress(Objective child, AlignmentLink link, double? progress)
    {
        Child = child;
        Link = link;
        Progress = progress;
    }

    /// <summary>The child objective.</summary>
    public Objective Child { get; }

    /// <summary>The child's link to the parent (one of <c>Child.Alignments</c>).</summary>
    public AlignmentLink Link { get; }

    /// <summary>The child's own progress, or null when it has no data.</summary>
    public double? Progress { get; }
}
