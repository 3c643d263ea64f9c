namespace Okr.Core;

/// <summary>The level checks shared by <see cref="IncreaseMeasure"/> and <see cref="DecreaseMeasure"/>.</summary>
internal static class DirectionalRules
{
    public static void Check(ref ViolationList violations, decimal baseline, decimal target, decimal? stretch, bool up)
    {
        Measure.CheckRange(ref violations, baseline, "Baseline");
        Measure.CheckRange(ref violations, target, "Target");
        if (stretch is { } s)
        {
            Measure.CheckRange(ref violations, s, "Stretch");
        }

        var (word, other) = up ? ("above", "DecreaseMeasure") : ("below", "IncreaseMeasure");
        if (baseline == target)
        {
            violations.Add(OkrErrorCodes.BaselineEqualsTarget, "Target", $"Target equals Baseline ({baseline}), so progress cannot be measured.");
        }
        else if (up ? target < baseline : target > baseline)
        {
            violations.Add(OkrErrorCodes.WrongDirection, "Target", $"Target ({target}) must lie {word} Baseline ({baseline}); use {other} for the other direction.");
        }

        if (stretch is { } st && (up ? st <= target : st >= target))
        {
            violations.Add(OkrErrorCodes.LevelsOutOfOrder, "Stretch", $"Stretch ({st}) must lie strictly {word} Target ({target}).");
        }
    }
}
