namespace Okr.Core.Service;

/// <summary>One alignment link of a carried objective and what became of it.</summary>
public sealed class CarriedLink
{
    internal CarriedLink(AlignmentLink source, AlignmentLink? copy, CarriedLinkOutcome outcome)
    {
        Source = source;
        Copy = copy;
        Outcome = outcome;
    }

    /// <summary>The link of the source objective.</summary>
    public AlignmentLink Source { get; }

    /// <summary>The copy's link; null when <see cref="Outcome"/> is <see cref="CarriedLinkOutcome.Dropped"/>.</summary>
    public AlignmentLink? Copy { get; }

    /// <summary>Re-pointed to the parent's copy, kept, or dropped.</summary>
    public CarriedLinkOutcome Outcome { get; }
}
