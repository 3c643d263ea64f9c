namespace Okr.Core.Health;

/// <summary>Maps the elapsed share of a period (0..1) to the progress expected by then (0..1).</summary>
public interface IExpectedProgressCurve
{
    /// <summary>The progress expected after <paramref name="elapsedShare"/> of the period.</summary>
    /// <param name="elapsedShare">0 at the first instant of the period, 1 at its end.</param>
    /// <returns>The expected progress, 0..1.</returns>
    double ExpectedAt(double elapsedShare);
}
