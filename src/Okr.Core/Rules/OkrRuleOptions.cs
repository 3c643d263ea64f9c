namespace Okr.Core.Rules;

/// <summary>The settings of the default rules. The defaults follow common OKR practice.</summary>
public sealed record OkrRuleOptions
{
    /// <summary>The fewest key results (not counting cancelled ones) an objective may be activated with; 3 by default.</summary>
    public int MinKeyResults { get; init; } = 3;

    /// <summary>The most key results (not counting cancelled ones) an active objective may have; 5 by default.</summary>
    public int MaxKeyResults { get; init; } = 5;

    /// <summary>The longest objective title; 200 by default, at most <see cref="Objective.MaxTitleLength"/>.</summary>
    public int MaxObjectiveTitleLength { get; init; } = 200;

    /// <summary>The longest key result title; 200 by default, at most <see cref="KeyResult.MaxTitleLength"/>.</summary>
    public int MaxKeyResultTitleLength { get; init; } = 200;

    /// <summary>
    /// How long after its period's last day a check-in may still be effective, for the quarter's final values recorded
    /// in the days after it ends (<see cref="CheckInWindowRule"/>): 14 days by default, between 0 and 366 days.
    /// </summary>
    public NodaTime.Duration CheckInGraceAfterEnd { get; init; } = NodaTime.Duration.FromDays(14);

    /// <summary>
    /// Whether at most one month, quarter or year may be active at a time (<see cref="PeriodSanityRule"/>); false by
    /// default, so the next quarter can start while the last one is still being closed.
    /// </summary>
    public bool SingleActivePeriodPerKind { get; init; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="OkrValidationException">A setting is out of range; all problems are reported.</exception>
    public void Validate()
    {
        var violations = new ViolationList();
        if (MinKeyResults < 0)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(MinKeyResults), $"MinKeyResults must be ≥ 0; it is {MinKeyResults}.");
        }

        if (MaxKeyResults < Math.Max(1, MinKeyResults))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(MaxKeyResults), $"MaxKeyResults ({MaxKeyResults}) must be ≥ 1 and ≥ MinKeyResults ({MinKeyResults}).");
        }

        if (MaxObjectiveTitleLength is < 1 or > Objective.MaxTitleLength)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(MaxObjectiveTitleLength), $"MaxObjectiveTitleLength must lie between 1 and {Objective.MaxTitleLength}; it is {MaxObjectiveTitleLength}.");
        }

        if (MaxKeyResultTitleLength is < 1 or > KeyResult.MaxTitleLength)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(MaxKeyResultTitleLength), $"MaxKeyResultTitleLength must lie between 1 and {KeyResult.MaxTitleLength}; it is {MaxKeyResultTitleLength}.");
        }

        if (CheckInGraceAfterEnd < NodaTime.Duration.Zero || CheckInGraceAfterEnd > NodaTime.Duration.FromDays(366))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(CheckInGraceAfterEnd), $"CheckInGraceAfterEnd must lie between 0 and 366 days; it is {CheckInGraceAfterEnd}.");
        }

        violations.ThrowIfAny();
    }
}
