namespace Okr.Core;

/// <summary>One broken rule: what was wrong, where, and why.</summary>
/// <param name="Code">
/// A stable, machine-readable code from <see cref="OkrErrorCodes"/> (or a custom rule's own code).
/// Codes never change between releases, so hosts may key translations or UI hints on them.
/// </param>
/// <param name="Member">
/// The offending member, as a dotted path from the validated object
/// (for example <c>KeyResults[2].Measure.Target</c>).
/// </param>
/// <param name="Message">A human-readable explanation in English.</param>
public sealed record OkrViolation(string Code, string Member, string Message)
{
    /// <summary>Returns <c>Member: Message (Code)</c>.</summary>
    /// <returns>A one-line description of the violation.</returns>
    public override string ToString() => $"{Member}: {Message} ({Code})";
}
