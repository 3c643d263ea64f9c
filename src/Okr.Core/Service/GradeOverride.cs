namespace Okr.Core.Service;

/// <summary>A person's adjustment of a computed grade when a period closes.</summary>
public sealed class GradeOverride
{
    /// <summary>Initializes a new instance of the <see cref="GradeOverride"/> class.</summary>
    /// <param name="value">The grade that stands, 0..1.</param>
    /// <param name="by">Who adjusts it.</param>
    /// <param name="reason">Why.</param>
    public GradeOverride(double value, OwnerRef by, string reason)
    {
        Value = value;
        By = by;
        Reason = reason;
    }

    /// <summary>The grade that stands, 0..1.</summary>
    public double Value { get; }

    /// <summary>Who adjusts it.</summary>
    public OwnerRef By { get; }

    /// <summary>Why.</summary>
    public string Reason { get; }
}
