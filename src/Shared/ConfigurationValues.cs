using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Okr.Core.DependencyInjection;

/// <summary>
/// Reads typed values from a configuration section without reflection (so it is trimming- and AOT-safe), collecting a
/// problem for every value that does not parse instead of stopping at the first: start-up then names them all.
/// Compiled into the DI package and each store package (linked source, internal).
/// </summary>
internal sealed class ConfigurationValues(IConfiguration section, List<string> problems)
{
    /// <summary>The problems found so far, each naming the key's full path and what was expected.</summary>
    public List<string> Problems { get; } = problems;

    /// <summary>The child section of <paramref name="key"/>, when it has any value or child.</summary>
    public ConfigurationValues? Section(string key)
    {
        var child = section.GetSection(key);
        return child.Exists() ? new ConfigurationValues(child, Problems) : null;
    }

    /// <summary>The string at <paramref name="key"/>, or null when the key is missing.</summary>
    public string? String(string key) => section[key];

    /// <summary>Applies the integer at <paramref name="key"/> when present.</summary>
    public void Int(string key, Action<int> apply) => Parse(key, apply, static s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null, "a whole number");

    /// <summary>Applies the integer at <paramref name="key"/> when present; an empty value or "null" applies null.</summary>
    public void NullableInt(string key, Action<int?> apply)
    {
        var text = section[key];
        if (text is null)
        {
            return;
        }

        if (text.Length == 0 || text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            apply(null);
            return;
        }

        Int(key, v => apply(v));
    }

    /// <summary>Applies the number at <paramref name="key"/> when present (invariant culture: a dot for decimals).</summary>
    public void Double(string key, Action<double> apply) => Parse(key, apply, static s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null, "a number such as 0.25");

    /// <summary>Applies the Boolean at <paramref name="key"/> when present.</summary>
    public void Bool(string key, Action<bool> apply) => Parse(key, apply, static s => bool.TryParse(s, out var v) ? v : null, "true or false");

    /// <summary>Applies the time span at <paramref name="key"/> when present (<c>d.hh:mm:ss</c>, for example <c>14.00:00:00</c>).</summary>
    public void TimeSpan(string key, Action<TimeSpan> apply) => Parse(key, apply, static s => System.TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : null, "a time span such as 14.00:00:00 (days.hours:minutes:seconds)");

    /// <summary>Applies the enum member named at <paramref name="key"/> when present.</summary>
    public void Enum<TEnum>(string key, Action<TEnum> apply)
        where TEnum : struct, System.Enum =>
        Parse(key, apply, static s => System.Enum.TryParse<TEnum>(s, ignoreCase: true, out var v) && System.Enum.IsDefined(v) && !int.TryParse(s, out _) ? v : null, $"one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");

    /// <summary>Records a problem with the value at <paramref name="key"/>.</summary>
    public void Problem(string key, string message) => Problems.Add($"{Path(key)}: {message}");

    /// <summary>The full configuration path of <paramref name="key"/>, as a host would write it.</summary>
    public string Path(string key) => section is IConfigurationSection s ? $"{s.Path}:{key}" : key;

    private void Parse<T>(string key, Action<T> apply, Func<string, T?> parse, string expected)
        where T : struct
    {
        var text = section[key];
        if (text is null)
        {
            return;
        }

        if (parse(text.Trim()) is { } value)
        {
            apply(value);
        }
        else
        {
            Problem(key, $"'{text}' is not {expected}.");
        }
    }
}
