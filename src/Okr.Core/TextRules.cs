namespace Okr.Core;

/// <summary>
/// The rules every text of the model follows, in one place (applied by <see cref="ViolationList.Text"/> for titles,
/// names, descriptions, notes, reasons, owner ids and unit labels), so the model, the JSON reader and every store
/// accept exactly the same strings:
/// <list type="bullet">
/// <item>no lone UTF-16 surrogate (half a character) anywhere;</item>
/// <item>no control character, except line breaks and tabs in multi-line text (descriptions, notes, reasons);</item>
/// <item>in one-line text (titles, names, owner ids, unit labels), no bidirectional embedding, override or isolate
/// (U+202A–U+202E, U+2066–U+2069), directional mark (U+200E, U+200F, U+061C) or invisible space (U+200B, U+2060,
/// U+FEFF). Multi-line text may hold them (quoted right-to-left text needs them); reports isolate every user text.
/// The zero-width joiner and non-joiner (U+200C, U+200D) stay allowed: scripts such as Persian and emoji sequences
/// need them, and they cannot reorder text.</item>
/// </list>
/// </summary>
internal static class TextRules
{
    public static (string Code, string Message)? Check(string value, bool multiLine)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return (OkrErrorCodes.BrokenText, $"contains a lone surrogate U+{(int)c:X4} at position {i}: half of a character, which cannot be stored or encoded as written.");
            }

            if (char.IsLowSurrogate(c))
            {
                return (OkrErrorCodes.BrokenText, $"contains a lone surrogate U+{(int)c:X4} at position {i}: half of a character, which cannot be stored or encoded as written.");
            }

            if (char.IsControl(c) && !(multiLine && c is '\n' or '\r' or '\t'))
            {
                return (OkrErrorCodes.ControlCharacters, $"contains the control character U+{(int)c:X4}.");
            }

            if (!multiLine && IsInvisibleFormatting(c))
            {
                return (OkrErrorCodes.InvisibleFormatting, $"contains the invisible formatting character U+{(int)c:X4} at position {i}, which can make the text read as something else; it is allowed in notes and descriptions only.");
            }
        }

        return null;
    }

    public static bool IsInvisibleFormatting(char c) =>
        c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C' or '\u200B' or '\u2060' or '\uFEFF';
}
