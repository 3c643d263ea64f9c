namespace Okr.Core.Health;

/// <summary>Turns progress and expected progress into a pace verdict.</summary>
public abstract record PaceThresholds
{
    private protected PaceThresholds()
    {
    }

    /// <summary>The verdict for a progress against the expected progress.</summary>
    /// <param name="progress">The progress, 0..1 (or above with overachievement).</param>
    /// <param name="expected">The expected progress, 0..1.</param>
    /// <returns>OnTrack, AtRisk or OffTrack.</returns>
    public abstract HealthStatus Judge(double progress, double expected);
}
