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

    private OkrValidationException(ReadOnlyCollection<OkrViolation> violations)
        : base(Describe(violations))
    {
        Violations = violations;
    }

    /// <summary>The violations, in the order they were found; never empty.</summary>
    public IReadOnlyList<OkrViolation> Violations { get; }

    private static ReadOnlyCollection<OkrViolation> Materialise(IEnumerable<OkrViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var list = violations.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A validation exception needs at least one violation.", nameof(violations));
        }

        return list.AsReadOnly();
    }

    private static string Describe(ReadOnlyCollection<OkrViolation> violations) =>
        violations.Count == 1
            ? $"Validation failed: {violations[0]}"
            : $"Validation failed with {violations.Count} violations:{Environment.NewLine}- "
              + string.Join(Environment.NewLine + "- ", violations);
}
