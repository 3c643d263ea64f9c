using NodaTime;

namespace Okr.Core;

/// <summary>
/// One recorded value of a key result. Check-ins are append-only: a mistake is fixed by a new
/// check-in that names the one it corrects (<see cref="Corrects"/>), so every past view can be rebuilt.
/// </summary>
/// <remarks>
/// Two instants are kept apart: <see cref="EffectiveAt"/>, when the value was true, and
/// <see cref="RecordedAt"/>, when it was written down. A value cannot be recorded before it is true,
/// so <c>EffectiveAt ≤ RecordedAt</c>. <see cref="CheckInHistory"/> answers "what was the value as of t".
/// </remarks>
public sealed record CheckIn
{
    /// <summary>The longest note accepted.</summary>
    public const int MaxNoteLength = 4000;

    /// <summary>Re-creates a check-in from all of its parts, checking each.</summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="keyResultId">The key result, non-empty.</param>
    /// <param name="value">The measured value, within ±<see cref="Measure.MaxMagnitude"/>.</param>
    /// <param name="author">Who recorded it.</param>
    /// <param name="effectiveAt">When the value was true.</param>
    /// <param name="recordedAt">When it was written; not before <paramref name="effectiveAt"/>.</param>
    /// <param name="confidence">The author's confidence in the key result, if given.</param>
    /// <param name="note">A free-text note; may be empty; line breaks allowed.</param>
    /// <param name="corrects">The check-in this one corrects, if any; never itself.</param>
    /// <exception cref="OkrValidationException">An argument is invalid; all problems are reported.</exception>
    public CheckIn(
        CheckInId id,
        KeyResultId keyResultId,
        decimal value,
        OwnerRef author,
        Instant effectiveAt,
        Instant recordedAt,
        Confidence? confidence = null,
        string note = "",
        CheckInId? corrects = null)
    {
        var violations = new ViolationList();
        violations.NotDefault(id, nameof(Id));
        violations.NotDefault(keyResultId, nameof(KeyResultId));
        Measure.CheckRange(ref violations, value, nameof(Value));
        if (author.IsEmpty)
        {
            violations.Add(OkrErrorCodes.Required, nameof(Author), "Author is required.");
        }

        violations.InstantInRange(effectiveAt, nameof(EffectiveAt));
        violations.InstantInRange(recordedAt, nameof(RecordedAt));
        if (effectiveAt > recordedAt)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(EffectiveAt), $"EffectiveAt ({effectiveAt}) must not lie after RecordedAt ({recordedAt}): a value cannot be recorded before it is true.");
        }

        violations.Text(note, nameof(Note), MaxNoteLength, allowBlank: true, multiLine: true);
        if (corrects is { } c && (c.IsEmpty || c == id))
        {
            violations.Add(OkrErrorCodes.InvalidValue, nameof(Corrects), "Corrects must name another, non-empty check-in.");
        }

        violations.ThrowIfAny();
        Id = id;
        KeyResultId = keyResultId;
        Value = value;
        Author = author;
        EffectiveAt = effectiveAt;
        RecordedAt = recordedAt;
        Confidence = confidence;
        Note = note;
        Corrects = corrects;
    }

    /// <summary>The identifier; appending the same id twice is a no-op in every store.</summary>
    public CheckInId Id { get; }

    /// <summary>The key result the value belongs to.</summary>
    public KeyResultId KeyResultId { get; }

    /// <summary>The measured value, exact.</summary>
    public decimal Value { get; }

    /// <summary>Who recorded the value.</summary>
    public OwnerRef Author { get; }

    /// <summary>When the value was true.</summary>
    public Instant EffectiveAt { get; }

    /// <summary>When the value was written down.</summary>
    public Instant RecordedAt { get; }

    /// <summary>The author's confidence that the key result will be met, if given.</summary>
    public Confidence? Confidence { get; }

    /// <summary>A free-text note; may be empty.</summary>
    public string Note { get; }

    /// <summary>The check-in this one corrects; null for an ordinary check-in.</summary>
    public CheckInId? Corrects { get; }

    /// <summary>Whether this check-in corrects another.</summary>
    public bool IsCorrection => Corrects is not null;

    /// <summary>Records a value now (both instants from the clock, unless <paramref name="effectiveAt"/> is given).</summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="keyResultId">The key result.</param>
    /// <param name="value">The measured value.</param>
    /// <param name="author">Who records it.</param>
    /// <param name="clock">Supplies <see cref="RecordedAt"/>.</param>
    /// <param name="effectiveAt">When the value was true; now when null.</param>
    /// <param name="confidence">The author's confidence, if any.</param>
    /// <param name="note">A note.</param>
    /// <returns>The check-in.</returns>
    /// <exception cref="OkrValidationException">An argument is invalid.</exception>
    public static CheckIn Record(
        CheckInId id,
        KeyResultId keyResultId,
        decimal value,
        OwnerRef author,
        IClock clock,
        Instant? effectiveAt = null,
        Confidence? confidence = null,
        string note = "")
    {
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetCurrentInstant();
        return new CheckIn(id, keyResultId, value, author, effectiveAt ?? now, now, confidence, note);
    }

    /// <summary>
    /// Makes a correction of this check-in: a new check-in for the same key result that replaces
    /// this one in every view from now on. This check-in stays in the history.
    /// </summary>
    /// <param name="id">The correction's own, new identifier.</param>
    /// <param name="value">The corrected value.</param>
    /// <param name="author">Who corrects it.</param>
    /// <param name="clock">Supplies the correction's <see cref="RecordedAt"/>.</param>
    /// <param name="note">Why it is corrected.</param>
    /// <param name="effectiveAt">When the corrected value was true; this check-in's <see cref="EffectiveAt"/> when null.</param>
    /// <param name="confidence">The confidence; this check-in's when null.</param>
    /// <returns>The correction.</returns>
    /// <exception cref="OkrValidationException">An argument is invalid.</exception>
    public CheckIn Correct(CheckInId id, decimal value, OwnerRef author, IClock clock, string note = "", Instant? effectiveAt = null, Confidence? confidence = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetCurrentInstant();
        return new CheckIn(id, KeyResultId, value, author, effectiveAt ?? EffectiveAt, now, confidence ?? Confidence, note, Id);
    }
}
