using System.Globalization;

namespace Okr.Core;

/// <summary>
/// Named levels in order, such as fail, commit, target and stretch, one of which a person chooses at
/// each check-in instead of measuring a value. Each level carries its score.
/// </summary>
/// <remarks>
/// <para>A check-in's value is the chosen level's position: 0 for the first level, 1 for the second, and
/// so on. <see cref="ValueOf"/> turns a level's name into that value, and <see cref="LevelAt"/> turns it back.
/// No other value is accepted.</para>
/// <para>Every scoring policy scores a key result at the level's <see cref="OrdinalLevel.Score"/>: the
/// levels are the measure's own definition of progress, so the linear and stepped policies agree, and the
/// Google grading policy rounds the score to tenths. Roll-ups, health and grades use that score like any other.
/// Forecasts are not made for chosen levels.</para>
/// <para>A measure has 2 to <see cref="MaxLevels"/> levels, with distinct names (compared ignoring case)
/// and strictly increasing scores between 0 and 1. Its unit is always <see cref="MeasureUnit.Number"/>.</para>
/// </remarks>
public sealed record OrdinalMeasure : Measure
{
    /// <summary>The most levels a measure may have (10).</summary>
    public const int MaxLevels = 10;

    private readonly OrdinalLevel[] _levels;

    /// <summary>Creates the measure.</summary>
    /// <param name="levels">The levels, lowest first.</param>
    /// <exception cref="OkrValidationException">Fewer than 2 or more than <see cref="MaxLevels"/> levels, a null or repeated name, or scores not strictly increasing.</exception>
    public OrdinalMeasure(IEnumerable<OrdinalLevel> levels)
        : base(MeasureUnit.Number)
    {
        var violations = new ViolationList();
        _levels = levels?.ToArray() ?? [];
        if (_levels.Length is < 2 or > MaxLevels)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Levels), $"An ordinal measure has 2 to {MaxLevels} levels; {_levels.Length} were given.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _levels.Length; i++)
        {
            var member = $"{nameof(Levels)}[{i}]";
            if (_levels[i] is not { } level)
            {
                violations.Add(OkrErrorCodes.Required, member, $"{member} is null.");
                continue;
            }

            if (!names.Add(level.Name))
            {
                violations.Add(OkrErrorCodes.DuplicateId, member + ".Name", $"The level name '{level.Name}' appears more than once.");
            }

            if (i > 0 && _levels[i - 1] is { } below && !(level.Score > below.Score))
            {
                violations.Add(OkrErrorCodes.LevelsOutOfOrder, member + ".Score", $"Scores must increase strictly: '{below.Name}' scores {below.Score}, '{level.Name}' {level.Score}.");
            }
        }

        violations.ThrowIfAny();
    }

    /// <summary>The published levels: fail (0), commit (0.3), target (0.7) and stretch (1.0).</summary>
    public static OrdinalMeasure Default { get; } = new([new("fail", 0), new("commit", 0.3), new("target", 0.7), new("stretch", 1.0)]);

    /// <inheritdoc/>
    public override MeasureKind Kind => MeasureKind.Ordinal;

    /// <summary>The levels, lowest first.</summary>
    public IReadOnlyList<OrdinalLevel> Levels => _levels;

    /// <summary>Whether the value is the position of a level: a whole number from 0 to the number of levels less one.</summary>
    /// <param name="value">The value to check.</param>
    /// <returns>True for a level's position.</returns>
    public override bool Accepts(decimal value) => value >= 0 && value < _levels.Length && decimal.Truncate(value) == value;

    /// <summary>The check-in value that chooses the named level: its position.</summary>
    /// <param name="levelName">A level's name, compared ignoring case.</param>
    /// <returns>The level's position, 0 for the first.</returns>
    /// <exception cref="OkrValidationException">No level has that name (code <c>okr.check_in.invalid_value</c>).</exception>
    public decimal ValueOf(string levelName)
    {
        for (var i = 0; i < _levels.Length; i++)
        {
            if (string.Equals(_levels[i].Name, levelName, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new OkrValidationException([new OkrViolation(OkrErrorCodes.InvalidValue, "Level", $"No level is named '{levelName}'; the levels are {Describe()}.")]);
    }

    /// <summary>The level a check-in value chose.</summary>
    /// <param name="value">A value this measure <see cref="Accepts"/>.</param>
    /// <returns>The level.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a level's position.</exception>
    public OrdinalLevel LevelAt(decimal value) =>
        Accepts(value) ? _levels[(int)value] : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a level's position; the levels are {Describe()}.");

    /// <inheritdoc/>
    public bool Equals(OrdinalMeasure? other) =>
        other is not null && _levels.Length == other._levels.Length && _levels.Zip(other._levels).All(p => p.First.Name == p.Second.Name && p.First.Score.Equals(p.Second.Score));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var level in _levels)
        {
            hash.Add(level.Name);
            hash.Add(level.Score);
        }

        return hash.ToHashCode();
    }

    internal string Describe() => string.Join(", ", _levels.Select((l, i) => string.Create(CultureInfo.InvariantCulture, $"{i} {l.Name}")));

    // A value beyond the levels (possible only in history written before the levels were edited) scores as the nearest level.
    internal double ScoreAt(decimal value) => _levels[(int)Math.Clamp(decimal.Truncate(value), 0, _levels.Length - 1)].Score;
}
