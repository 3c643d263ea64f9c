using NodaTime;

namespace Okr.Core;

/// <summary>
/// The one definition of "the value of a key result as of an instant", used by every store,
/// scoring policy and report.
/// </summary>
/// <remarks>
/// <para>Given the check-ins of one key result, optionally only those known at an instant
/// <c>k</c> (<c>RecordedAt ≤ k</c>), a check-in is <em>superseded</em> when another known check-in
/// corrects it. The value as of <c>t</c> is the unsuperseded check-in with the greatest
/// <see cref="CheckIn.EffectiveAt"/> ≤ <c>t</c>; ties go to the greatest
/// <see cref="CheckIn.RecordedAt"/>, then to the greatest id, so the answer never depends on input order.</para>
/// <para>With <c>k</c> the past is rebuilt exactly: what a report showed at <c>k</c> is what
/// <c>AsOf(checkIns, t, k)</c> returns today.</para>
/// </remarks>
public static class CheckInHistory
{
    /// <summary>The check-in in force at <paramref name="effectiveAt"/>, as known at <paramref name="knownAt"/>.</summary>
    /// <param name="checkIns">The check-ins of one key result, in any order.</param>
    /// <param name="effectiveAt">The instant whose value is wanted.</param>
    /// <param name="knownAt">Only check-ins recorded at or before this instant count; all when null.</param>
    /// <returns>The check-in in force, or null when there is none yet ("no data", distinct from zero).</returns>
    public static CheckIn? AsOf(IEnumerable<CheckIn> checkIns, Instant effectiveAt, Instant? knownAt = null)
    {
        ArgumentNullException.ThrowIfNull(checkIns);
        var known = Known(checkIns, knownAt);
        var superseded = Superseded(known);
        CheckIn? best = null;
        foreach (var c in known)
        {
            if (c.EffectiveAt <= effectiveAt && !superseded.Contains(c.Id) && (best is null || Later(c, best)))
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// The check-ins that are in force (not superseded by a correction), ordered by
    /// <see cref="CheckIn.EffectiveAt"/>, then <see cref="CheckIn.RecordedAt"/>, then id: the series
    /// to chart or to forecast from.
    /// </summary>
    /// <param name="checkIns">The check-ins of one key result, in any order.</param>
    /// <param name="knownAt">Only check-ins recorded at or before this instant count; all when null.</param>
    /// <returns>The check-ins in force, oldest first.</returns>
    public static IReadOnlyList<CheckIn> InForce(IEnumerable<CheckIn> checkIns, Instant? knownAt = null)
    {
        ArgumentNullException.ThrowIfNull(checkIns);
        var known = Known(checkIns, knownAt);
        var superseded = Superseded(known);
        var result = known.Where(c => !superseded.Contains(c.Id)).ToList();
        result.Sort(static (a, b) => Later(a, b) ? 1 : Later(b, a) ? -1 : 0);
        return result;
    }

    private static List<CheckIn> Known(IEnumerable<CheckIn> checkIns, Instant? knownAt) =>
        knownAt is { } k ? checkIns.Where(c => c.RecordedAt <= k).ToList() : checkIns.ToList();

    private static HashSet<CheckInId> Superseded(List<CheckIn> known)
    {
        var set = new HashSet<CheckInId>();
        foreach (var c in known)
        {
            if (c.Corrects is { } target)
            {
                set.Add(target);
            }
        }

        return set;
    }

    /// <summary>The total order of check-ins used for ties: EffectiveAt, then RecordedAt, then id.</summary>
    private static bool Later(CheckIn a, CheckIn b)
    {
        var byEffective = a.EffectiveAt.CompareTo(b.EffectiveAt);
        if (byEffective != 0)
        {
            return byEffective > 0;
        }

        var byRecorded = a.RecordedAt.CompareTo(b.RecordedAt);
        return byRecorded != 0 ? byRecorded > 0 : a.Id.CompareTo(b.Id) > 0;
    }
}
