using System.Globalization;
using NodaTime;

namespace Okr.Core;

/// <summary>What every identifier type shares; lets one JSON converter and one parser serve them all.</summary>
internal interface IOkrIdentifier<TSelf>
    where TSelf : struct, IOkrIdentifier<TSelf>
{
    Guid Value { get; }

    static abstract TSelf FromGuid(Guid value);
}

/// <summary>Creation, parsing and formatting shared by the identifier types.</summary>
internal static class OkrIdentifier
{
    /// <summary>A version-7 (time-ordered) GUID whose timestamp comes from <paramref name="clock"/>.</summary>
    public static Guid NewVersion7(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset());
    }

    public static string Format(Guid value) => value.ToString("D", CultureInfo.InvariantCulture);

    public static bool TryParse<T>(ReadOnlySpan<char> text, out T id)
        where T : struct, IOkrIdentifier<T>
    {
        if (text.Length == 36 && Guid.TryParseExact(text, "D", out var guid) && guid != Guid.Empty)
        {
            id = T.FromGuid(guid);
            return true;
        }

        id = default;
        return false;
    }

    public static T Parse<T>(string text)
        where T : struct, IOkrIdentifier<T>
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse<T>(text, out T id)
            ? id
            : throw new FormatException(
                $"'{Truncate(text)}' is not a valid {typeof(T).Name}: expected a non-empty GUID in the 36-character form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.");
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
