namespace Okr.Core;

/// <summary>The kind of unit a key result's values are in.</summary>
public enum MeasureUnitKind
{
    /// <summary>A plain number (count, score, index).</summary>
    Number = 0,

    /// <summary>A percentage, stored as the number shown (42.5 means 42.5 %).</summary>
    Percent = 1,

    /// <summary>An amount of money in an ISO 4217 currency.</summary>
    Currency = 2,

    /// <summary>A host-defined label such as "tickets" or "ms".</summary>
    Custom = 3,
}
