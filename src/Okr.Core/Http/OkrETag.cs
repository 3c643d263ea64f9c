using System.Globalization;

namespace Okr.Core.Http;

/// <summary>
/// Entity tags for objectives and periods, and the expected version an <c>If-Match</c> header carries: a web API
/// sends <see cref="For(Objective)"/> as <c>ETag</c> and passes <see cref="ExpectedVersion"/> of the request's
/// <c>If-Match</c> to the write (<c>EditAsync(…, expectedVersion)</c>), which fails with a concurrency error, 412 in
/// <see cref="OkrProblem"/>, when the item changed since.
/// </summary>
public static class OkrETag
{
    /// <summary>The strong entity tag of an objective's stored version: <c>"ID:VERSION"</c>, quotes included.</summary>
    /// <param name="objective">The objective as read.</param>
    /// <returns>The tag.</returns>
    public static string For(Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return Tag(objective.Id.ToString(), objective.Version);
    }

    /// <summary>The strong entity tag of a period's stored version: <c>"ID:VERSION"</c>, quotes included.</summary>
    /// <param name="period">The period as read.</param>
    /// <returns>The tag.</returns>
    public static string For(OkrPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return Tag(period.Id.ToString(), period.Version);
    }

    /// <summary>
    /// The version an <c>If-Match</c> header expects for the item with <paramref name="id"/>: null when the header is
    /// absent, empty or <c>*</c> (any version). A header whose tags name other items only, or that is malformed, is
    /// refused: a client that sends a condition gets it checked, never dropped.
    /// </summary>
    /// <param name="ifMatch">The header's value: one or more tags, separated by commas (weak tags are not accepted for writes).</param>
    /// <param name="id">The item the request writes (an objective's or a period's id, as text).</param>
    /// <returns>The expected version, or null for none.</returns>
    /// <exception cref="OkrValidationException">The header is malformed, weak, or names another item (code <c>okr.invalid</c>, member <c>If-Match</c>).</exception>
    public static long? ExpectedVersion(string? ifMatch, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return null;
        }

        foreach (var part in ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("W/", StringComparison.Ordinal))
            {
                throw Refused($"If-Match has the weak tag {part}; writes need the strong tag the ETag header gave.");
            }

            var inner = part.Length >= 2 && part[0] == '"' && part[^1] == '"' ? part[1..^1] : string.Empty;
            var colon = inner.LastIndexOf(':');
            if (colon <= 0 || !long.TryParse(inner[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw Refused($"If-Match has {part}, which is not a tag this API gave (\"ID:VERSION\").");
            }

            if (string.Equals(inner[..colon], id, StringComparison.OrdinalIgnoreCase))
            {
                return version;
            }
        }

        throw Refused($"If-Match names no version of {id}.");
    }

    private static string Tag(string id, long version) => $"\"{id}:{version.ToString(CultureInfo.InvariantCulture)}\"";

    private static OkrValidationException Refused(string message) => new([new OkrViolation(OkrErrorCodes.Invalid, "If-Match", message)]);
}
