namespace Okr.Core.Scoring;

/// <summary>The progress of one aligned child objective, as seen by its parent.</summary>
/// <param name="Child">The child objective.</param>
/// <param name="Link">The child's link to the parent (one of <c>Child.Alignments</c>).</param>
/// <param name="Progress">The child's own progress, or null when it has no data.</param>
public sealed record ChildProgress(Objective Child, AlignmentLink Link, double? Progress);
