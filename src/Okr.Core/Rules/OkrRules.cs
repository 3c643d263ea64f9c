using System.Collections.Immutable;

namespace Okr.Core.Rules;

/// <summary>
/// The set of rules applied to every write. Immutable: <see cref="With(IObjectiveRule)"/> and
/// <see cref="Without{TRule}"/> return a new set. Every violation of every rule is reported at
/// once in one <see cref="OkrValidationException"/>.
/// </summary>
public sealed class OkrRules
{
    private readonly ImmutableArray<IObjectiveRule> _objectiveRules;
    private readonly ImmutableArray<ICheckInRule> _checkInRules;
    private readonly ImmutableArray<IPeriodRule> _periodRules;

    /// <summary>Creates a rule set from explicit rules.</summary>
    /// <param name="objectiveRules">The rules for objective writes.</param>
    /// <param name="checkInRules">The rules for check-ins.</param>
    public OkrRules(IEnumerable<IObjectiveRule> objectiveRules, IEnumerable<ICheckInRule> checkInRules)
        : this(objectiveRules, checkInRules, [])
    {
    }

    /// <summary>Creates a rule set from explicit rules, period rules included.</summary>
    /// <param name="objectiveRules">The rules for objective writes.</param>
    /// <param name="checkInRules">The rules for check-ins.</param>
    /// <param name="periodRules">The rules for periods created, activated or reopened.</param>
    public OkrRules(IEnumerable<IObjectiveRule> objectiveRules, IEnumerable<ICheckInRule> checkInRules, IEnumerable<IPeriodRule> periodRules)
    {
        ArgumentNullException.ThrowIfNull(objectiveRules);
        ArgumentNullException.ThrowIfNull(checkInRules);
        ArgumentNullException.ThrowIfNull(periodRules);
        _objectiveRules = [.. objectiveRules];
        _checkInRules = [.. checkInRules];
        _periodRules = [.. periodRules];
        if (_objectiveRules.Any(r => r is null) || _checkInRules.Any(r => r is null) || _periodRules.Any(r => r is null))
        {
            throw new ArgumentException("Rules must not be null.", nameof(objectiveRules));
        }
    }

    /// <summary>The default rules with the default options.</summary>
    public static OkrRules Default { get; } = CreateDefault(new OkrRuleOptions());

    /// <summary>The rules for objective writes, in the order they run.</summary>
    public IReadOnlyList<IObjectiveRule> ObjectiveRules => _objectiveRules;

    /// <summary>The rules for check-ins, in the order they run.</summary>
    public IReadOnlyList<ICheckInRule> CheckInRules => _checkInRules;

    /// <summary>The rules for periods, in the order they run.</summary>
    public IReadOnlyList<IPeriodRule> PeriodRules => _periodRules;

    /// <summary>
    /// The default rules: <see cref="KeyResultCountRule"/>, <see cref="TitleLengthRule"/>,
    /// <see cref="PeriodWritableRule"/>, <see cref="MeasureFrozenRule"/>, <see cref="CheckInTargetRule"/>,
    /// <see cref="CheckInWindowRule"/> and <see cref="PeriodSanityRule"/>.
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <returns>The rule set.</returns>
    /// <exception cref="OkrValidationException">The options are invalid.</exception>
    public static OkrRules CreateDefault(OkrRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var period = new PeriodWritableRule();
        return new OkrRules(
            [new KeyResultCountRule(options.MinKeyResults, options.MaxKeyResults), new TitleLengthRule(options.MaxObjectiveTitleLength, options.MaxKeyResultTitleLength), period, new MeasureFrozenRule()],
            [period, new CheckInTargetRule(), new CheckInWindowRule(options.CheckInGraceAfterEnd)],
            [new PeriodSanityRule(options.SingleActivePeriodPerKind)]);
    }

    /// <summary>Returns a set with one more objective rule.</summary>
    /// <param name="rule">The rule to add.</param>
    /// <returns>The new set.</returns>
    public OkrRules With(IObjectiveRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new OkrRules(_objectiveRules.Add(rule), _checkInRules, _periodRules);
    }

    /// <summary>Returns a set with one more check-in rule.</summary>
    /// <param name="rule">The rule to add.</param>
    /// <returns>The new set.</returns>
    public OkrRules With(ICheckInRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new OkrRules(_objectiveRules, _checkInRules.Add(rule), _periodRules);
    }

    /// <summary>Returns a set without the rules of type <typeparamref name="TRule"/>.</summary>
    /// <typeparam name="TRule">The rule type to remove.</typeparam>
    /// <returns>The new set.</returns>
    public OkrRules Without<TRule>() =>
        new(_objectiveRules.Where(r => r is not TRule), _checkInRules.Where(r => r is not TRule), _periodRules.Where(r => r is not TRule));

    /// <summary>Every violation of the objective rules by a change.</summary>
    /// <param name="change">The proposed change.</param>
    /// <returns>The violations; empty when the change is allowed.</returns>
    public IReadOnlyList<OkrViolation> Check(ObjectiveChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return [.. _objectiveRules.SelectMany(r => r.Check(change))];
    }

    /// <summary>Every violation of the check-in rules by a check-in.</summary>
    /// <param name="change">The proposed check-in.</param>
    /// <returns>The violations; empty when the check-in is allowed.</returns>
    public IReadOnlyList<OkrViolation> Check(CheckInChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return [.. _checkInRules.SelectMany(r => r.Check(change))];
    }

    /// <summary>Runs every period rule.</summary>
    /// <param name="change">The proposed period write.</param>
    /// <returns>All violations; empty when the change is fine.</returns>
    public IReadOnlyList<OkrViolation> Check(PeriodChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return [.. _periodRules.SelectMany(r => r.Check(change))];
    }

    /// <summary>Adds a period rule.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>A new rule set.</returns>
    public OkrRules With(IPeriodRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new OkrRules(_objectiveRules, _checkInRules, _periodRules.Add(rule));
    }

    /// <summary>Throws when a change breaks any objective rule.</summary>
    /// <param name="change">The proposed change.</param>
    /// <exception cref="OkrValidationException">One or more rules are broken; all violations are listed.</exception>
    public void Validate(ObjectiveChange change) => ThrowIfAny(Check(change));

    /// <summary>Throws when a check-in breaks any check-in rule.</summary>
    /// <param name="change">The proposed check-in.</param>
    /// <exception cref="OkrValidationException">One or more rules are broken; all violations are listed.</exception>
    public void Validate(CheckInChange change) => ThrowIfAny(Check(change));

    private static void ThrowIfAny(IReadOnlyList<OkrViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }
    }
}
