namespace Okr.Core.Scoring;

/// <summary>
/// Turns a key result and one of its values into a <see cref="Score"/>. Implementations must be
/// pure: the same key result and value give the same score on every host.
/// </summary>
/// <remarks>
/// A key result with no value yet has no score ("no data"), which is different from a score of 0;
/// policies are only asked about real values. See <see cref="LinearScoringPolicy"/>,
/// <see cref="SteppedScoringPolicy"/> and <see cref="GoogleGradingPolicy"/>.
/// </remarks>
public interface IScoringPolicy
{
    /// <summary>Scores one value of a key result.</summary>
    /// <param name="keyResult">The key result (its measure, weight, title, ...).</param>
    /// <param name="value">The value, normally the one in force (see <see cref="CheckInHistory.AsOf"/>).</param>
    /// <returns>The score.</returns>
    Score Score(KeyResult keyResult, decimal value);
}
