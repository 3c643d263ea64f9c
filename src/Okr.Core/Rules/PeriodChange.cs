namespace Okr.Core.Rules;

/// <summary>A proposed period write, with the tenant's other periods: what period rules judge.</summary>
public sealed class PeriodChange
{
    /// <summary>Initializes a new instance of the <see cref="PeriodChange"/> class.</summary>
    /// <param name="before">The stored period, or null for a new one.</param>
    /// <param name="after">The period as it would be stored.</param>
    /// <param name="others">Every other period of the tenant, as read for the decision.</param>
    public PeriodChange(OkrPeriod? before, OkrPeriod after, IReadOnlyList<OkrPeriod> others)
    {
        Before = before;
        After = after;
        Others = others;
    }

    /// <summary>The stored period, or null for a new one.</summary>
    public OkrPeriod? Before { get; }

    /// <summary>The period as it would be stored.</summary>
    public OkrPeriod After { get; }

    /// <summary>Every other period of the tenant.</summary>
    public IReadOnlyList<OkrPeriod> Others { get; }
}
