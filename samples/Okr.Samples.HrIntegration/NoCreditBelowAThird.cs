using Okr.Core;
using Okr.Core.Scoring;

namespace Okr.Samples.HrIntegration;

/// <summary>
/// The company's own scoring, agreed with the works council: a key result earns nothing until it reaches a
/// third of the way to its target, then scores linearly, capped at 100 %.
/// </summary>
public sealed class NoCreditBelowAThird : IScoringPolicy
{
    public Score Score(KeyResult keyResult, decimal value)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        var raw = ProgressFormulas.LinearRatio(keyResult.Measure, value);
        var progress = raw < 1.0 / 3 ? 0 : Math.Min(raw, 1);
        return new Score(raw, progress);
    }
}
