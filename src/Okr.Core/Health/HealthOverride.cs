using NodaTime;

namespace Okr.Core.Health;

/// <summary>A person's override of the computed health, kept with who, when and why.</summary>
public sealed record HealthOverride
{
    /// <summary>Creates an override.</summary>
    /// <param name="status">The status the person sets.</param>
    /// <param name="by">Who set it.</param>
    /// <param name="at">When.</param>
    /// <param name="reason">Why; not blank, at most 2000 characters.</param>
    /// <exception cref="OkrValidationException">An argument is invalid; all problems are reported.</exception>
    public HealthOverride(HealthStatus status, OwnerRef by, Instant at, string reason)
    {
        var violations = new ViolationList();
        if (!Enum.IsDefined(status))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Status), $"Status {(int)status} is not defined.");
        }

        if (by.IsEmpty)
        {
            violations.Add(OkrErrorCodes.Required, nameof(By), "By is required.");
        }

        violations.Text(reason, nameof(Reason), 2000, multiLine: true);
        violations.ThrowIfAny();
        Status = status;
        By = by;
        At = at;
        Reason = reason;
    }

    /// <summary>The status set by the person.</summary>
    public HealthStatus Status { get; }

    /// <summary>Who set it.</summary>
    public OwnerRef By { get; }

    /// <summary>When it was set.</summary>
    public Instant At { get; }

    /// <summary>Why.</summary>
    public string Reason { get; }
}
