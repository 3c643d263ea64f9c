namespace Okr.Core.Service;

/// <summary>
/// Which objectives of a period a summary shows. Filters combine (an objective must pass all set); then the objectives
/// that pass are paged in id order. Whatever the scope, each shown objective's figures are those of the whole period's
/// summary: its progress is rolled up from its whole subtree, which is read for it, and only for it.
/// </summary>
public sealed class SummaryScope
{
    /// <summary>The greatest <see cref="Levels"/> accepted.</summary>
    public const int MaxLevels = 64;

    /// <summary>The whole period (no filter, no paging).</summary>
    public static SummaryScope WholePeriod { get; } = new();

    /// <summary>Only objectives of these owners; every owner when null.</summary>
    public IReadOnlyList<OwnerRef>? Owners { get; init; }

    /// <summary>Only this objective and the objectives aligned under it, directly or not (a department's objective and everything below it).</summary>
    public ObjectiveId? Subtree { get; init; }

    /// <summary>
    /// Only the top levels: 1 is the objectives nothing of the period is aligned above (or <see cref="Subtree"/>'s root),
    /// 2 adds those aligned directly to them, and so on (an objective's level is its shortest path from the top). All when null.
    /// </summary>
    public int? Levels { get; init; }

    /// <summary>Only objectives whose id sorts after this one: pass <see cref="PeriodSummary.NextAfter"/> of the previous page.</summary>
    public ObjectiveId? After { get; init; }

    /// <summary>At most this many objectives (≥ 1), by id; all when null.</summary>
    public int? Limit { get; init; }

    /// <summary>Whether no filter or paging is set.</summary>
    public bool IsWholePeriod => Owners is null && Subtree is null && Levels is null && After is null && Limit is null;

    /// <summary>Checks the scope.</summary>
    /// <exception cref="OkrValidationException">A limit below 1, levels outside 1..<see cref="MaxLevels"/>, or an empty owner list.</exception>
    public void Validate()
    {
        var violations = new ViolationList();
        if (Limit is < 1)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Limit), $"Limit must be at least 1; it is {Limit}.");
        }

        if (Levels is < 1 or > MaxLevels)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Levels), $"Levels must lie between 1 and {MaxLevels}; it is {Levels}.");
        }

        if (Owners is { Count: 0 })
        {
            violations.Add(OkrErrorCodes.Required, nameof(Owners), "Owners is empty: leave it null for every owner, or name at least one.");
        }

        violations.ThrowIfAny();
    }
}
