namespace Okr.Core.Health;

/// <summary>A health verdict with what it was based on.</summary>
public sealed class HealthAssessment
{
    /// <summary>Initializes a new instance of the <see cref="HealthAssessment"/> class.</summary>
    /// <param name="status">The status that stands: the override's when there is one, else <paramref name="computed"/>.</param>
    /// <param name="computed">The status computed from the inputs.</param>
    /// <param name="elapsedShare">The elapsed share of the period, 0..1.</param>
    /// <param name="expectedProgress">The progress expected by now, 0..1.</param>
    /// <param name="progress">The progress judged (null for no data).</param>
    /// <param name="override">The override, if any.</param>
    public HealthAssessment(HealthStatus status, HealthStatus computed, double elapsedShare, double expectedProgress, double? progress, HealthOverride? @override)
    {
        Status = status;
        Computed = computed;
        ElapsedShare = elapsedShare;
        ExpectedProgress = expectedProgress;
        Progress = progress;
        Override = @override;
    }

    /// <summary>The status that stands: the override's when there is one, else <see cref="Computed"/>.</summary>
    public HealthStatus Status { get; }

    /// <summary>The status computed from the inputs.</summary>
    public HealthStatus Computed { get; }

    /// <summary>The elapsed share of the period, 0..1.</summary>
    public double ElapsedShare { get; }

    /// <summary>The progress expected by now, 0..1.</summary>
    public double ExpectedProgress { get; }

    /// <summary>The progress judged (null for no data).</summary>
    public double? Progress { get; }

    /// <summary>The override, if any.</summary>
    public HealthOverride? Override { get; }
}
