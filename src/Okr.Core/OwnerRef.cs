namespace Okr.Core;

/// <summary>
/// A reference to an owner (a person, a team or an organisation unit) by the host system's own
/// identifier. Okr.Core stores nothing about the owner beyond this reference.
/// </summary>
/// <remarks>
/// The external id is compared ordinally (case-sensitive), at most
/// <see cref="MaxExternalIdLength"/> characters, not blank and without control characters.
/// <c>default(OwnerRef)</c> has no kind and is rejected wherever an owner is required.
/// The text form is <c>kind:id</c>, for example <c>person:E1042</c>.
/// </remarks>
public readonly record struct OwnerRef
{
    /// <summary>The longest external id accepted.</summary>
    public const int MaxExternalIdLength = 256;

    /// <summary>Creates a reference.</summary>
    /// <param name="kind">The kind of owner.</param>
    /// <param name="externalId">The host's identifier of the owner.</param>
    /// <exception cref="OkrValidationException">The kind is undefined, or the id is blank, too long or has control characters.</exception>
    public OwnerRef(OwnerKind kind, string externalId)
    {
        var violations = new ViolationList();
        if (!Enum.IsDefined(kind))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Kind), $"{nameof(Kind)} must be Person, Team or OrganizationUnit; {(int)kind} is not defined.");
        }

        violations.Text(externalId, nameof(ExternalId), MaxExternalIdLength);
        violations.ThrowIfAny();
        Kind = kind;
        ExternalId = externalId;
    }

    /// <summary>The kind of owner.</summary>
    public OwnerKind Kind { get; }

    /// <summary>The host system's identifier of the owner.</summary>
    public string ExternalId { get; }

    /// <summary>Whether this is the default (empty) reference.</summary>
    public bool IsEmpty => Kind == 0;

    /// <summary>A person, by the host's id.</summary>
    /// <param name="externalId">The host's identifier of the person.</param>
    /// <returns>The reference.</returns>
    public static OwnerRef Person(string externalId) => new(OwnerKind.Person, externalId);

    /// <summary>A team, by the host's id.</summary>
    /// <param name="externalId">The host's identifier of the team.</param>
    /// <returns>The reference.</returns>
    public static OwnerRef Team(string externalId) => new(OwnerKind.Team, externalId);

    /// <summary>An organisation unit, by the host's id.</summary>
    /// <param name="externalId">The host's identifier of the unit.</param>
    /// <returns>The reference.</returns>
    public static OwnerRef OrganizationUnit(string externalId) => new(OwnerKind.OrganizationUnit, externalId);

    /// <summary>Returns <c>kind:id</c>, for example <c>team:platform</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => IsEmpty ? string.Empty : $"{KindText(Kind)}:{ExternalId}";

    internal static string KindText(OwnerKind kind) => kind switch
    {
        OwnerKind.Person => "person",
        OwnerKind.Team => "team",
        OwnerKind.OrganizationUnit => "organization-unit",
        _ => ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
