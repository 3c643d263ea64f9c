namespace Okr.Core.Service;

/// <summary>What a <see cref="RevisionChange"/> did.</summary>
public enum RevisionChangeKind
{
    /// <summary>The objective was created (the first version).</summary>
    Created = 0,

    /// <summary>A member's value changed.</summary>
    Changed = 1,

    /// <summary>A key result, an alignment or a grade was added.</summary>
    Added = 2,

    /// <summary>A key result, an alignment or a grade was removed.</summary>
    Removed = 3,
}
