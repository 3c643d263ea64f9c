namespace Okr.Core;

/// <summary>
/// The stable codes carried by <see cref="OkrViolation.Code"/>. A code never changes meaning
/// once released; new codes may be added.
/// </summary>
public static class OkrErrorCodes
{
    /// <summary>A required value is missing (null, empty or default).</summary>
    public const string Required = "okr.required";

    /// <summary>A text is longer than allowed.</summary>
    public const string TooLong = "okr.text.too_long";

    /// <summary>A text contains control characters (other than line breaks and tabs where allowed).</summary>
    public const string ControlCharacters = "okr.text.control_characters";

    /// <summary>Text holds a lone UTF-16 surrogate (half of a character), which no store and no encoder keeps as written.</summary>
    public const string BrokenText = "okr.text.broken";

    /// <summary>
    /// A one-line text (a title, a name, an owner id, a unit) holds an invisible formatting character: a bidirectional
    /// embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), a directional mark (U+200E, U+200F, U+061C) or an
    /// invisible space (U+200B, U+2060, U+FEFF), which can make it read as something else.
    /// </summary>
    public const string InvisibleFormatting = "okr.text.invisible_formatting";

    /// <summary>A number is NaN or infinite.</summary>
    public const string NotFinite = "okr.number.not_finite";

    /// <summary>A number lies outside its allowed range.</summary>
    public const string OutOfRange = "okr.number.out_of_range";

    /// <summary>A key result's baseline equals its target, so progress cannot be defined.</summary>
    public const string BaselineEqualsTarget = "okr.measure.baseline_equals_target";

    /// <summary>A measure's levels point the wrong way (for example an Increase whose target is below its baseline).</summary>
    public const string WrongDirection = "okr.measure.wrong_direction";

    /// <summary>A measure's levels are not in the required order (for example low above high).</summary>
    public const string LevelsOutOfOrder = "okr.measure.levels_out_of_order";

    /// <summary>A key result's measure type changed after its first check-in.</summary>
    public const string MeasureFrozen = "okr.measure.frozen";

    /// <summary>A state change that the state machine does not allow.</summary>
    public const string IllegalTransition = "okr.state.illegal_transition";

    /// <summary>An edit of an item whose state makes it read-only (closed or cancelled).</summary>
    public const string ReadOnlyState = "okr.state.read_only";

    /// <summary>An objective is activated (or edited while active) with too few or too many key results.</summary>
    public const string KeyResultCount = "okr.objective.key_result_count";

    /// <summary>Two items in one collection share an identifier.</summary>
    public const string DuplicateId = "okr.id.duplicate";

    /// <summary>A write touches a period that is closed or archived.</summary>
    public const string PeriodClosed = "okr.period.closed";

    /// <summary>A period's last day lies before its first (or the two are in different calendars).</summary>
    public const string PeriodDatesOutOfOrder = "okr.period.dates_out_of_order";

    /// <summary>Two periods of the same kind (month, quarter or year) would share a day (<see cref="Rules.PeriodSanityRule"/>).</summary>
    public const string PeriodOverlap = "okr.period.overlap";

    /// <summary>Two periods of a tenant would have the same name, ignoring case (<see cref="Rules.PeriodSanityRule"/>).</summary>
    public const string PeriodDuplicateName = "okr.period.duplicate_name";

    /// <summary>Two periods of the same kind (month, quarter or year) would be active at once (<see cref="Rules.PeriodSanityRule"/>).</summary>
    public const string PeriodActiveConflict = "okr.period.active_conflict";

    /// <summary>A policy's settings are out of order (a stepped scoring's commit and target scores, a curve's points).</summary>
    public const string PolicyOutOfOrder = "okr.policy.out_of_order";

    /// <summary>A reference names something that does not exist where it should (for example a key result its objective does not hold).</summary>
    public const string UnknownReference = "okr.reference.unknown";

    /// <summary>An objective or check-in refers to a different period or key result than the one given.</summary>
    public const string Mismatch = "okr.reference.mismatch";

    /// <summary>A check-in targets a key result whose progress comes from aligned objectives.</summary>
    public const string NotMeasured = "okr.key_result.not_measured";

    /// <summary>A check-in value that the key result's measure cannot take (for example 2 for a milestone).</summary>
    public const string InvalidValue = "okr.check_in.invalid_value";

    /// <summary>
    /// A check-in effective before its period starts, or after its end and the grace window for final values
    /// (<see cref="Rules.OkrRuleOptions.CheckInGraceAfterEnd"/>), in the organisation's time zone.
    /// </summary>
    public const string CheckInOutsidePeriod = "okr.check_in.outside_period";

    /// <summary>Alignment links would form a cycle; the message gives its path.</summary>
    public const string AlignmentCycle = "okr.alignment.cycle";

    /// <summary>An alignment link names a parent objective or key result that does not exist.</summary>
    public const string AlignmentTargetMissing = "okr.alignment.target_missing";

    /// <summary>A child objective's period does not lie inside its parent's period.</summary>
    public const string AlignmentPeriod = "okr.alignment.period";

    /// <summary>An objective aligns to itself, or names the same parent twice.</summary>
    public const string InvalidAlignment = "okr.alignment.invalid";

    /// <summary>A value that only its own operation may set was changed by another (an edit that sets the state, the grade, the version or a stamp).</summary>
    public const string Invalid = "okr.invalid";
}
