using System.Collections.Immutable;

namespace Okr.Core.Health;

/// <summary>
/// A phased target: expected progress through the points (elapsed share, expected progress), linear
/// between them, from (0, 0) to (1, 1). For example a back-loaded quarter:
/// <c>new PhasedCurve((0.5, 0.2), (0.8, 0.6))</c>.
/// </summary>
public sealed class PhasedCurve : IExpectedProgressCurve
{
    private readonly ImmutableArray<(double Elapsed, double Expected)> _points;

    /// <summary>Creates the curve.</summary>
    /// <param name="points">Inner points with elapsed shares strictly increasing inside (0, 1) and expected progress non-decreasing within 0..1.</param>
    /// <exception cref="OkrValidationException">The points are out of range or out of order.</exception>
    public PhasedCurve(params (double Elapsed, double Expected)[] points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var all = new List<(double, double)> { (0, 0) };
        all.AddRange(points);
        all.Add((1, 1));
        var violations = new ViolationList();
        for (var i = 1; i < all.Count; i++)
        {
            var (x0, y0) = all[i - 1];
            var (x1, y1) = all[i];
            if (!double.IsFinite(x1) || !double.IsFinite(y1) || x1 <= x0 || y1 < y0 || y1 > 1)
            {
                violations.Add(OkrErrorCodes.PolicyOutOfOrder, $"Points[{i - 1}]", $"Point ({x1}, {y1}) must lie after ({x0}, {y0}): elapsed strictly increasing inside (0, 1), expected non-decreasing within 0..1.");
            }
        }

        violations.ThrowIfAny();
        _points = [.. all];
    }

    /// <inheritdoc/>
    public double ExpectedAt(double elapsedShare)
    {
        var x = Math.Clamp(elapsedShare, 0, 1);
        for (var i = 1; i < _points.Length; i++)
        {
            var (x1, y1) = _points[i];
            if (x <= x1)
            {
                var (x0, y0) = _points[i - 1];
                return y0 + ((x - x0) / (x1 - x0) * (y1 - y0));
            }
        }

        return 1;
    }
}
