namespace Okr.Core.Health;

/// <summary>Even pace: expected progress equals the elapsed share (the default).</summary>
public sealed class LinearCurve : IExpectedProgressCurve
{
    /// <summary>The curve.</summary>
    public static LinearCurve Instance { get; } = new();

    /// <inheritdoc/>
    public double ExpectedAt(double elapsedShare) => Math.Clamp(elapsedShare, 0, 1);
}
