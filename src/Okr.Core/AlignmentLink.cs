namespace Okr.Core;

/// <summary>
/// A link from an objective (the child, which holds the link) up to a parent: another objective,
/// or one key result of that objective.
/// </summary>
public sealed record AlignmentLink
{
    /// <summary>Creates a link.</summary>
    /// <param name="parentObjectiveId">The parent objective, or the objective that holds the parent key result.</param>
    /// <param name="parentKeyResultId">The parent key result, or null to align to the objective itself.</param>
    /// <param name="weight">The link's weight in the parent's roll-up: finite and ≥ 0.</param>
    /// <param name="kind">Whether the link counts in roll-up.</param>
    /// <exception cref="OkrValidationException">An argument is invalid; all problems are reported.</exception>
    public AlignmentLink(ObjectiveId parentObjectiveId, KeyResultId? parentKeyResultId = null, double weight = 1.0, AlignmentKind kind = AlignmentKind.Contributes)
    {
        var violations = new ViolationList();
        violations.NotDefault(parentObjectiveId, nameof(ParentObjectiveId));
        if (parentKeyResultId is { IsEmpty: true })
        {
            violations.Add(OkrErrorCodes.Required, nameof(ParentKeyResultId), "ParentKeyResultId, when given, must not be empty.");
        }

        violations.Finite(weight, nameof(Weight), 0, double.MaxValue);
        if (!Enum.IsDefined(kind))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Kind), $"Kind {(int)kind} is not defined.");
        }

        violations.ThrowIfAny();
        ParentObjectiveId = parentObjectiveId;
        ParentKeyResultId = parentKeyResultId;
        Weight = weight;
        Kind = kind;
    }

    /// <summary>The parent objective (or the objective holding the parent key result).</summary>
    public ObjectiveId ParentObjectiveId { get; }

    /// <summary>The parent key result, when the link targets one.</summary>
    public KeyResultId? ParentKeyResultId { get; }

    /// <summary>The weight in the parent's roll-up (≥ 0, 1 by default).</summary>
    public double Weight { get; }

    /// <summary>Whether the link counts in roll-up.</summary>
    public AlignmentKind Kind { get; }

    /// <summary>Whether two links name the same parent (objective and key result), whatever their weight and kind.</summary>
    /// <param name="other">The other link.</param>
    /// <returns>True when both name the same parent.</returns>
    public bool HasSameParentAs(AlignmentLink other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ParentObjectiveId == other.ParentObjectiveId && ParentKeyResultId == other.ParentKeyResultId;
    }
}
