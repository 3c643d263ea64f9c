namespace Okr.Core;

/// <summary>
/// The grade given when an objective closes: the computed score, and, when a person adjusted it,
/// the adjusted value with who and why.
/// </summary>
public sealed record FinalGrade
{
    /// <summary>The longest override reason accepted.</summary>
    public const int MaxReasonLength = 2000;

    private FinalGrade(double computed, double value, OwnerRef? overriddenBy, string? reason)
    {
        Computed = computed;
        Value = value;
        OverriddenBy = overriddenBy;
        OverrideReason = reason;
    }

    /// <summary>The score computed by the scoring and roll-up policies, 0..1.</summary>
    public double Computed { get; }

    /// <summary>The grade that stands: <see cref="Computed"/>, or the override, 0..1.</summary>
    public double Value { get; }

    /// <summary>Who overrode the grade; null when it was not overridden.</summary>
    public OwnerRef? OverriddenBy { get; }

    /// <summary>Why the grade was overridden; null when it was not.</summary>
    public string? OverrideReason { get; }

    /// <summary>Whether a person adjusted the computed grade.</summary>
    public bool IsOverridden => OverriddenBy is not null;

    /// <summary>A grade as computed.</summary>
    /// <param name="score">A finite score from 0 to 1.</param>
    /// <returns>The grade.</returns>
    /// <exception cref="OkrValidationException">The score is NaN, infinite or outside 0..1.</exception>
    public static FinalGrade FromComputed(double score) => Create(score, score, null, null);

    /// <summary>Re-creates a stored grade, checking every part.</summary>
    /// <param name="computed">The computed score, 0..1.</param>
    /// <param name="value">The grade that stands, 0..1; equal to <paramref name="computed"/> unless overridden.</param>
    /// <param name="overriddenBy">Who overrode it, or null.</param>
    /// <param name="overrideReason">Why, or null; required exactly when <paramref name="overriddenBy"/> is given.</param>
    /// <returns>The grade.</returns>
    /// <exception cref="OkrValidationException">A part is invalid; all problems are reported.</exception>
    public static FinalGrade Create(double computed, double value, OwnerRef? overriddenBy, string? overrideReason)
    {
        var violations = new ViolationList();
        violations.Finite(computed, nameof(Computed), 0, 1);
        violations.Finite(value, nameof(Value), 0, 1);
        if (overriddenBy is null)
        {
            if (overrideReason is not null)
            {
                violations.Add(OkrErrorCodes.Required, nameof(OverriddenBy), "An override reason was given without who overrode the grade.");
            }

            if (double.IsFinite(value) && double.IsFinite(computed) && value != computed)
            {
                violations.Add(OkrErrorCodes.Required, nameof(OverriddenBy), "A grade that differs from the computed score must say who overrode it and why.");
            }
        }
        else
        {
            if (overriddenBy.Value.IsEmpty)
            {
                violations.Add(OkrErrorCodes.Required, nameof(OverriddenBy), "OverriddenBy must not be the default reference.");
            }

            violations.Text(overrideReason, nameof(OverrideReason), MaxReasonLength, multiLine: true);
        }

        violations.ThrowIfAny();
        return new FinalGrade(computed, value, overriddenBy, overrideReason);
    }

    /// <summary>Returns this grade adjusted by a person, keeping the computed score.</summary>
    /// <param name="value">The new grade, 0..1.</param>
    /// <param name="by">Who adjusts it.</param>
    /// <param name="reason">Why; not blank.</param>
    /// <returns>The overridden grade.</returns>
    /// <exception cref="OkrValidationException">An argument is invalid.</exception>
    public FinalGrade Override(double value, OwnerRef by, string reason) => Create(Computed, value, by, reason);
}
