namespace Okr.Core;

/// <summary>One named level of an <see cref="OrdinalMeasure"/> and the score a key result gets at it.</summary>
public sealed class OrdinalLevel
{
    /// <summary>The most characters a level's name may have (40).</summary>
    public const int MaxNameLength = 40;

    /// <summary>Creates a level.</summary>
    /// <param name="name">The name people choose, such as "target": not blank, at most <see cref="MaxNameLength"/> characters, one line.</param>
    /// <param name="score">The score at this level, between 0 and 1.</param>
    /// <exception cref="OkrValidationException">The name is blank, too long or holds control characters, or the score is not within 0..1.</exception>
    public OrdinalLevel(string name, double score)
    {
        var violations = new ViolationList();
        violations.Text(name, nameof(Name), MaxNameLength);
        violations.Finite(score, nameof(Score), 0, 1);
        violations.ThrowIfAny();
        Name = name;
        Score = score;
    }

    /// <summary>The level's name.</summary>
    public string Name { get; }

    /// <summary>The score a key result gets at this level, between 0 and 1.</summary>
    public double Score { get; }
}
