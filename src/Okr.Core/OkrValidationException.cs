using System.Collections.ObjectModel;

namespace Okr.Core;

/// <summary>
/// Thrown when input or an operation breaks one or more rules. Every violation found by one
/// call is reported together, and nothing was constructed or written.
/// </summary>
public sealed class OkrValidationException : OkrException
{
    /// <summary>Initialises the exception with the violations found.</summary>
    /// <param name="violations">At least one violation.</param>
    /// <exception cref="ArgumentException"><paramref name="violations"/> is empty.</exception>
    public OkrValidationException(IEnumerable<OkrViolation> violations)
        : this(Materialise(violations))
    {
    }

    /// <summary>For lists that stopped keeping violations at the cap and counted the rest.</summary>
    internal OkrValidationException(List<OkrViolation> named, int more)
        : this(WithMore(named, more))
    {
    }

    private OkrValidationException(ReadOnlyCollection<OkrViolation> violations)
        : base(Describe(violations))
    {
        Violations = violations;
    }

    /// <summary>
    /// The violations, in the order they were found; never empty. At most
    /// <see cref="Serialization.OkrJsonOptions.MaxReportedViolations"/> are named, followed, when more were found, by
    /// one whose message says how many more (code <see cref="OkrErrorCodes.Invalid"/>, member <c>$</c>).
    /// </summary>
    public IReadOnlyList<OkrViolation> Violations { get; }

    private static ReadOnlyCollection<OkrViolation> Materialise(IEnumerable<OkrViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var named = new List<OkrViolation>();
        var more = 0;
        foreach (var v in violations)
        {
            if (named.Count < Serialization.OkrJsonOptions.MaxReportedViolations)
            {
                named.Add(v);
            }
            else
            {
                more++;
            }
        }

        if (named.Count == 0)
        {
            throw new ArgumentException("A validation exception needs at least one violation.", nameof(violations));
        }

        return WithMore(named, more);
    }

    private static ReadOnlyCollection<OkrViolation> WithMore(List<OkrViolation> named, int more)
    {
        if (named.Count == 0)
        {
            throw new ArgumentException("A validation exception needs at least one violation.", nameof(named));
        }

        if (more > 0)
        {
            named.Add(new OkrViolation(OkrErrorCodes.Invalid, "$", $"… and {more} more."));
        }

        return named.AsReadOnly();
    }

    private static string Describe(ReadOnlyCollection<OkrViolation> violations) =>
        violations.Count == 1
            ? $"Validation failed: {violations[0]}"
            : $"Validation failed with {violations.Count} violations:{Environment.NewLine}- "
              + string.Join(Environment.NewLine + "- ", violations);
}
