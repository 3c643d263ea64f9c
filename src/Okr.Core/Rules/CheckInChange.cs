namespace Okr.Core.Rules;

/// <summary>A proposed check-in, with the context rules need to judge it.</summary>
/// <param name="CheckIn">The check-in as it would be appended.</param>
/// <param name="Objective">The objective that holds the key result.</param>
/// <param name="Period">The objective's period.</param>
/// <param name="Corrected">The check-in named by <see cref="CheckIn.Corrects"/>, when it exists; null otherwise.</param>
public sealed record CheckInChange(CheckIn CheckIn, Objective Objective, OkrPeriod Period, CheckIn? Corrected = null);
