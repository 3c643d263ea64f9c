namespace Okr.Core.Scoring;

/// <summary>What a roll-up does with an item that has no data yet (no check-in).</summary>
public enum NoDataRule
{
    /// <summary>Count it as progress 0 (the default): nobody gains by not checking in.</summary>
    CountAsZero = 0,

    /// <summary>Leave it out, as if it were not there; a roll-up of nothing but such items has no data.</summary>
    LeaveOut = 1,
}
