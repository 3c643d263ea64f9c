using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace Okr.Core;

/// <summary>Identifies a tenant: one customer organisation of the host, whose data is kept apart from every other tenant's.</summary>
/// <remarks>
/// A wrapper over a version-7 (time-ordered) <see cref="Guid"/>. The text form is the GUID's
/// lowercase 36-character form (<c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>), stable across releases.
/// <c>default(TenantId)</c> wraps <see cref="Guid.Empty"/>; it is never a valid identifier and
/// is rejected wherever an identifier is required. Ordering follows the GUID, so identifiers
/// made by <see cref="New"/> sort by creation time (to the millisecond).
/// </remarks>
public readonly record struct TenantId : IComparable<TenantId>, IOkrIdentifier<TenantId>
{
    /// <summary>Wraps an existing GUID, for example one read from a host system.</summary>
    /// <param name="value">The GUID; <see cref="Guid.Empty"/> makes the (invalid) default identifier.</param>
    public TenantId(Guid value) => Value = value;

    /// <summary>The wrapped GUID.</summary>
    public Guid Value { get; }

    /// <summary>Whether this is the default (empty) identifier.</summary>
    public bool IsEmpty => Value == Guid.Empty;

    /// <summary>Makes a new, time-ordered identifier stamped with the clock's current instant.</summary>
    /// <param name="clock">The clock that supplies the timestamp.</param>
    /// <returns>A new identifier.</returns>
    public static TenantId New(IClock clock) => new(OkrIdentifier.NewVersion7(clock));

    /// <summary>Parses the 36-character text form.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a non-empty GUID in the 36-character form.</exception>
    public static TenantId Parse(string text) => OkrIdentifier.Parse<TenantId>(text);

    /// <summary>Tries to parse the 36-character text form.</summary>
    /// <param name="text">The text to parse; may be null.</param>
    /// <param name="id">The identifier, or the default when parsing fails.</param>
    /// <returns>Whether <paramref name="text"/> was a non-empty GUID in the 36-character form.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out TenantId id) => OkrIdentifier.TryParse(text, out id);

    static TenantId IOkrIdentifier<TenantId>.FromGuid(Guid value) => new(value);

    /// <inheritdoc/>
    public int CompareTo(TenantId other) => Value.CompareTo(other.Value);

    /// <summary>Whether <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <(TenantId left, TenantId right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> sorts before or with <paramref name="right"/>.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <=(TenantId left, TenantId right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >(TenantId left, TenantId right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> sorts after or with <paramref name="right"/>.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >=(TenantId left, TenantId right) => left.CompareTo(right) >= 0;

    /// <summary>Returns the stable 36-character text form.</summary>
    /// <returns>The GUID in lowercase <c>D</c> format.</returns>
    public override string ToString() => OkrIdentifier.Format(Value);
}
