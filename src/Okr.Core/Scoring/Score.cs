namespace Okr.Core.Scoring;

/// <summary>
/// The score of a key result for one value: the raw ratio, the progress shown, and the band.
/// </summary>
/// <remarks>
/// <see cref="Raw"/> is unclamped: negative when the value moved the wrong way, above 1 when it
/// went past the target. <see cref="Progress"/> is what people see: the raw ratio clamped by the
/// policy (to 0..1, or 0..cap when overachievement is shown). <see cref="Band"/> always comes from
/// <see cref="GradeBands.Of"/>, so every policy and every screen agree on the zones.
/// </remarks>
public readonly record struct Score
{
    /// <summary>Creates a score.</summary>
    /// <param name="raw">The unclamped ratio; finite.</param>
    /// <param name="progress">The progress shown; finite and ≥ 0.</param>
    /// <exception cref="OkrValidationException">A value is NaN, infinite or (for progress) negative.</exception>
    public Score(double raw, double progress)
    {
        if (double.IsFinite(raw) && double.IsFinite(progress) && progress >= 0)
        {
            // The hot path of every roll-up: no allocation when the values are fine.
            Raw = raw;
            Progress = progress;
            return;
        }

        var violations = new ViolationList();
        violations.Finite(raw, nameof(Raw), double.MinValue, double.MaxValue);
        violations.Finite(progress, nameof(Progress), 0, double.MaxValue);
        violations.ThrowIfAny();
        Raw = raw;
        Progress = progress;
    }

    /// <summary>The unclamped ratio: 0 at the baseline, 1 at the target.</summary>
    public double Raw { get; }

    /// <summary>The progress shown, ≥ 0 (at most 1 unless the policy shows overachievement).</summary>
    public double Progress { get; }

    /// <summary>The colour band of <see cref="Progress"/>.</summary>
    public GradeBand Band => GradeBands.Of(Progress);

    /// <summary>A score whose progress is the raw ratio clamped to 0..<paramref name="cap"/>.</summary>
    /// <param name="raw">The unclamped ratio; finite.</param>
    /// <param name="cap">The highest progress shown; finite and ≥ 1 (1 means no overachievement).</param>
    /// <returns>The score.</returns>
    /// <exception cref="OkrValidationException">The raw ratio is not finite, or the cap is below 1.</exception>
    public static Score FromRaw(double raw, double cap = 1.0)
    {
        if (double.IsFinite(raw) && double.IsFinite(cap) && cap >= 1)
        {
            return new Score(raw, Math.Clamp(raw, 0, cap));
        }

        var violations = new ViolationList();
        violations.Finite(raw, nameof(Raw), double.MinValue, double.MaxValue);
        violations.Finite(cap, "Cap", 1, double.MaxValue);
        violations.ThrowIfAny();
        return new Score(raw, Math.Clamp(raw, 0, cap));
    }
}
