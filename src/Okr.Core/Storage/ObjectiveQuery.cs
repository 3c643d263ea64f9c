namespace Okr.Core.Storage;

/// <summary>Filters and keyset paging for <see cref="IOkrStore.ListObjectivesAsync"/>. Results are ordered by id.</summary>
public sealed class ObjectiveQuery
{
    /// <summary>Every objective of the tenant.</summary>
    public static ObjectiveQuery All { get; } = new();

    /// <summary>Only objectives of this period.</summary>
    public PeriodId? Period { get; init; }

    /// <summary>Only objectives of this owner.</summary>
    public OwnerRef? Owner { get; init; }

    /// <summary>Only objectives in this state.</summary>
    public ObjectiveState? State { get; init; }

    /// <summary>Only objectives whose id sorts after this one: pass the last id of the previous page.</summary>
    public ObjectiveId? After { get; init; }

    /// <summary>At most this many objectives (≥ 1); all when null.</summary>
    public int? Limit { get; init; }

    /// <summary>Whether an objective passes the filters (not the paging).</summary>
    /// <param name="objective">The objective.</param>
    /// <returns>True when it matches.</returns>
    public bool Matches(Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return (Period is null || objective.PeriodId == Period)
            && (Owner is null || objective.Owner == Owner)
            && (State is null || objective.State == State)
            && (After is null || objective.Id > After.Value);
    }

    /// <summary>Checks the query.</summary>
    /// <exception cref="OkrValidationException">The limit is below 1.</exception>
    public void Validate()
    {
        if (Limit is < 1)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.OutOfRange, nameof(Limit), $"Limit must be at least 1; it is {Limit}.")]);
        }
    }
}
