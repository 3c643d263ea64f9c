namespace Okr.Core.Service;

/// <summary>A person's adjustment of a computed grade when a period closes.</summary>
/// <param name="Value">The grade that stands, 0..1.</param>
/// <param name="By">Who adjusts it.</param>
/// <param name="Reason">Why.</param>
public sealed record GradeOverride(double Value, OwnerRef By, string Reason);
