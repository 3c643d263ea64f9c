using System.Collections.Immutable;
using NodaTime;

namespace Okr.Core;

/// <summary>
/// An objective: a qualitative goal for one period, with the key results that measure it and the
/// links that align it to parents. The aggregate root: it is always read and written whole.
/// </summary>
/// <remarks>
/// <para>Immutable. Every edit returns a validated copy stamped with the clock's current instant;
/// edits of a Closed or Cancelled objective are rejected. The state machine allows exactly
/// Draft → Active → Closed, Draft → Cancelled and Active → Cancelled.</para>
/// <para>Structural invariants (non-blank title, unique key result ids, no self-alignment, a grade
/// only when closed, ...) are checked here. Policy rules that need context (3–5 key results on
/// activation, closed periods, frozen measures) live in <see cref="Rules.OkrRules"/>.</para>
/// <para><see cref="Version"/> is the optimistic-concurrency token: stores compare it on write and
/// return the stored copy with the next version; edits never change it.</para>
/// <para>Equality is by value, including the key results and alignments in order.</para>
/// </remarks>
public sealed class Objective : IEquatable<Objective>
{
    /// <summary>The longest title accepted by construction; rules may set a lower limit.</summary>
    public const int MaxTitleLength = 500;

    /// <summary>The longest description accepted.</summary>
    public const int MaxDescriptionLength = 10_000;

    private readonly ImmutableArray<KeyResult> _keyResults;
    private readonly ImmutableArray<AlignmentLink> _alignments;

    /// <summary>
    /// Re-creates an objective from all of its parts, checking every invariant. Hosts normally call
    /// <see cref="Create"/>; stores and readers use this constructor.
    /// </summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="periodId">The period, non-empty.</param>
    /// <param name="title">Not blank, at most <see cref="MaxTitleLength"/> characters, single line.</param>
    /// <param name="description">At most <see cref="MaxDescriptionLength"/> characters; may be empty; line breaks allowed.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="kind">Committed or aspirational.</param>
    /// <param name="state">The state.</param>
    /// <param name="visibility">Who may see it.</param>
    /// <param name="keyResults">The key results, with unique ids.</param>
    /// <param name="alignments">The links to parents, each parent at most once, never to itself.</param>
    /// <param name="version">The concurrency version, ≥ 0 (0 for an objective never stored).</param>
    /// <param name="createdAt">When it was created.</param>
    /// <param name="updatedAt">When it was last changed; not before <paramref name="createdAt"/>.</param>
    /// <param name="grade">The final grade: required when Closed, absent otherwise.</param>
    /// <param name="updatedBy">Who made this version, when known (the audit trail); null for the system or unknown.</param>
    /// <param name="reopenReason">Why it was last reopened after its close (<see cref="Reopen"/>); null when it never was.</param>
    /// <param name="carriedFrom">The objective this one was carried over from, if it was; another objective's id.</param>
    /// <exception cref="OkrValidationException">An invariant is broken; all problems are reported.</exception>
    public Objective(
        ObjectiveId id,
        PeriodId periodId,
        string title,
        string description,
        OwnerRef owner,
        ObjectiveKind kind,
        ObjectiveState state,
        Visibility visibility,
        IEnumerable<KeyResult> keyResults,
        IEnumerable<AlignmentLink> alignments,
        long version,
        Instant createdAt,
        Instant updatedAt,
        FinalGrade? grade,
        OwnerRef? updatedBy = null,
        string? reopenReason = null,
        ObjectiveId? carriedFrom = null)
    {
        var violations = new ViolationList();
        violations.NotDefault(id, nameof(Id));
        violations.NotDefault(periodId, nameof(PeriodId));
        violations.Text(title, nameof(Title), MaxTitleLength);
        violations.Text(description, nameof(Description), MaxDescriptionLength, allowBlank: true, multiLine: true);
        if (owner.IsEmpty)
        {
            violations.Add(OkrErrorCodes.Required, nameof(Owner), "Owner is required.");
        }

        CheckDefined(ref violations, kind, nameof(Kind));
        CheckDefined(ref violations, state, nameof(State));
        CheckDefined(ref violations, visibility, nameof(Visibility));
        var krs = CheckKeyResults(ref violations, keyResults);
        var links = CheckAlignments(ref violations, alignments, id);
        if (version < 0)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Version), $"Version must be ≥ 0; it is {version}.");
        }

        violations.InstantInRange(createdAt, nameof(CreatedAt));
        violations.InstantInRange(updatedAt, nameof(UpdatedAt));
        if (updatedAt < createdAt)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(UpdatedAt), $"UpdatedAt ({updatedAt}) must not lie before CreatedAt ({createdAt}).");
        }

        if (state == ObjectiveState.Closed && grade is null)
        {
            violations.Add(OkrErrorCodes.Required, nameof(Grade), "A closed objective must carry its final grade.");
        }
        else if (state != ObjectiveState.Closed && grade is not null)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Grade), $"Only a closed objective carries a final grade; this one is {state}.");
        }

        if (updatedBy is { IsEmpty: true })
        {
            violations.Add(OkrErrorCodes.Required, nameof(UpdatedBy), "UpdatedBy, when given, must not be the default reference.");
        }

        if (reopenReason is not null)
        {
            violations.Text(reopenReason, nameof(ReopenReason), MaxReopenReasonLength, multiLine: true);
        }

        if (carriedFrom is { } source && (source == default || source == id))
        {
            violations.Add(OkrErrorCodes.Invalid, nameof(CarriedFrom), "CarriedFrom, when given, names another objective.");
        }

        violations.ThrowIfAny();
        Id = id;
        PeriodId = periodId;
        Title = title;
        Description = description;
        Owner = owner;
        Kind = kind;
        State = state;
        Visibility = visibility;
        _keyResults = krs;
        _alignments = links;
        Version = version;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        Grade = grade;
        UpdatedBy = updatedBy;
        ReopenReason = reopenReason;
        CarriedFrom = carriedFrom;
    }

    /// <summary>The longest reason for reopening a closed objective: 1 000 characters.</summary>
    public const int MaxReopenReasonLength = 1000;

    /// <summary>The identifier.</summary>
    public ObjectiveId Id { get; }

    /// <summary>The period the objective belongs to.</summary>
    public PeriodId PeriodId { get; }

    /// <summary>The goal, in a short sentence.</summary>
    public string Title { get; }

    /// <summary>Why the goal matters; may be empty.</summary>
    public string Description { get; }

    /// <summary>Who owns the objective.</summary>
    public OwnerRef Owner { get; }

    /// <summary>Committed or aspirational.</summary>
    public ObjectiveKind Kind { get; }

    /// <summary>The state in the life cycle.</summary>
    public ObjectiveState State { get; }

    /// <summary>Who may see the objective.</summary>
    public Visibility Visibility { get; }

    /// <summary>The key results, in display order.</summary>
    public IReadOnlyList<KeyResult> KeyResults => _keyResults;

    /// <summary>The links to parent objectives and key results.</summary>
    public IReadOnlyList<AlignmentLink> Alignments => _alignments;

    /// <summary>
    /// <see cref="KeyResults"/> as held: the roll-up, the graph and the stores index it on every read, and the list
    /// view boxes the array on each access (and its enumerator on each loop).
    /// </summary>
    internal ImmutableArray<KeyResult> KeyResultArray => _keyResults;

    /// <summary><see cref="Alignments"/> as held (see <see cref="KeyResultArray"/>).</summary>
    internal ImmutableArray<AlignmentLink> AlignmentArray => _alignments;

    /// <summary>The optimistic-concurrency version (0 before the first write).</summary>
    public long Version { get; }

    /// <summary>When the objective was created.</summary>
    public Instant CreatedAt { get; }

    /// <summary>When the objective last changed.</summary>
    public Instant UpdatedAt { get; }

    /// <summary>The final grade; present exactly when <see cref="State"/> is Closed.</summary>
    public FinalGrade? Grade { get; }

    /// <summary>
    /// Who made this version, as the facade recorded it (<see cref="Service.OkrService.As"/>); null for changes
    /// made by the system or outside the facade. Every domain change clears it; the facade stamps the actor.
    /// </summary>
    public OwnerRef? UpdatedBy { get; }

    /// <summary>
    /// Why the objective was last reopened after its close to correct its grade (<see cref="Reopen"/>); null when it never
    /// was. Kept through the next close, so the corrected grade stands beside its reason; every earlier grade stays in
    /// the audit trail.
    /// </summary>
    public string? ReopenReason { get; }

    /// <summary>
    /// When check-ins of its key results are due, set on the objective; null to inherit (from its owner, the objectives
    /// it is aligned under, or the tenant). A key result's own cadence wins over it (<see cref="Service.OkrCheckIns.CadenceOfAsync"/>).
    /// Stores and readers set it at construction.
    /// </summary>
    public CheckInCadence? Cadence { get; init; }

    /// <summary>
    /// The objective this one was carried over from into its period (<see cref="Service.OkrPeriods.CarryOverAsync"/>);
    /// null for an objective made afresh. Set when the copy is made and never changed.
    /// </summary>
    public ObjectiveId? CarriedFrom { get; }

    /// <summary>Whether the objective may still be edited (Draft or Active).</summary>
    public bool IsEditable => State is ObjectiveState.Draft or ObjectiveState.Active;

    /// <summary>Creates a new objective in the Draft state, version 0, stamped with the clock's instant.</summary>
    /// <param name="id">A non-empty identifier, for example <see cref="ObjectiveId.New"/>.</param>
    /// <param name="periodId">The period.</param>
    /// <param name="title">The goal.</param>
    /// <param name="owner">Who owns it.</param>
    /// <param name="clock">Supplies the creation instant.</param>
    /// <param name="kind">Committed or aspirational (the default).</param>
    /// <param name="description">Why the goal matters.</param>
    /// <param name="visibility">Who may see it; public by default.</param>
    /// <param name="keyResults">Initial key results.</param>
    /// <param name="alignments">Initial links to parents.</param>
    /// <returns>The draft objective.</returns>
    /// <exception cref="OkrValidationException">An argument is invalid; all problems are reported.</exception>
    public static Objective Create(
        ObjectiveId id,
        PeriodId periodId,
        string title,
        OwnerRef owner,
        IClock clock,
        ObjectiveKind kind = ObjectiveKind.Aspirational,
        string description = "",
        Visibility visibility = Visibility.Public,
        IEnumerable<KeyResult>? keyResults = null,
        IEnumerable<AlignmentLink>? alignments = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetCurrentInstant();
        return new Objective(id, periodId, title, description, owner, kind, ObjectiveState.Draft, visibility, keyResults ?? [], alignments ?? [], 0, now, now, null);
    }

    /// <summary>Finds a key result by id.</summary>
    /// <param name="id">The key result's id.</param>
    /// <returns>The key result, or null when the objective has none with that id.</returns>
    public KeyResult? FindKeyResult(KeyResultId id)
    {
        foreach (var kr in _keyResults)
        {
            if (kr.Id == id)
            {
                return kr;
            }
        }

        return null;
    }

    /// <summary>Returns a copy with another title.</summary>
    /// <param name="title">The new title.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">The title is invalid or the objective is read-only.</exception>
    public Objective WithTitle(string title, IClock clock) => Edit(clock, title: title ?? throw Missing(nameof(Title)));

    /// <summary>Returns a copy with another description.</summary>
    /// <param name="description">The new description.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">The description is invalid or the objective is read-only.</exception>
    public Objective WithDescription(string description, IClock clock) => Edit(clock, description: description ?? throw Missing(nameof(Description)));

    /// <summary>Returns a copy with another owner.</summary>
    /// <param name="owner">The new owner.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">The owner is empty or the objective is read-only.</exception>
    public Objective WithOwner(OwnerRef owner, IClock clock) => Edit(clock, owner: owner);

    /// <summary>Returns a copy of another kind.</summary>
    /// <param name="kind">Committed or aspirational.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">The kind is undefined or the objective is read-only.</exception>
    public Objective WithKind(ObjectiveKind kind, IClock clock) => Edit(clock, kind: kind);

    /// <summary>Returns a copy with another visibility.</summary>
    /// <param name="visibility">The new visibility.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">The visibility is undefined or the objective is read-only.</exception>
    public Objective WithVisibility(Visibility visibility, IClock clock) => Edit(clock, visibility: visibility);

    /// <summary>Returns an edited copy with its own check-in cadence, or none (null) to inherit one.</summary>
    /// <param name="cadence">The cadence, or null.</param>
    /// <param name="clock">The clock that stamps the change.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="OkrValidationException">The objective can no longer be edited.</exception>
    public Objective WithCadence(CheckInCadence? cadence, IClock clock) => Edit(clock, cadence: (cadence, true));

    /// <summary>Returns a copy with the key results replaced.</summary>
    /// <param name="keyResults">The new key results, with unique ids.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">The key results are invalid or the objective is read-only.</exception>
    public Objective WithKeyResults(IEnumerable<KeyResult> keyResults, IClock clock) => Edit(clock, keyResults: keyResults ?? throw Missing(nameof(KeyResults)));

    /// <summary>Returns a copy with one more key result at the end.</summary>
    /// <param name="keyResult">The key result; its id must be new to this objective.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">The id is taken or the objective is read-only.</exception>
    public Objective AddKeyResult(KeyResult keyResult, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        return Edit(clock, keyResults: _keyResults.Add(keyResult));
    }

    /// <summary>Returns a copy in which the key result with the same id is replaced.</summary>
    /// <param name="keyResult">The new version of an existing key result.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">No key result has that id, or the objective is read-only.</exception>
    public Objective ReplaceKeyResult(KeyResult keyResult, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        var index = IndexOf(keyResult.Id);
        return Edit(clock, keyResults: _keyResults.SetItem(index, keyResult));
    }

    /// <summary>Returns a copy without the key result. Prefer <see cref="KeyResult.Cancel"/> once check-ins exist.</summary>
    /// <param name="id">The key result's id.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">No key result has that id, or the objective is read-only.</exception>
    public Objective RemoveKeyResult(KeyResultId id, IClock clock) => Edit(clock, keyResults: _keyResults.RemoveAt(IndexOf(id)));

    /// <summary>Returns a copy with the alignment links replaced.</summary>
    /// <param name="alignments">The new links.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The edited copy.</returns>
    /// <exception cref="OkrValidationException">The links are invalid or the objective is read-only.</exception>
    public Objective WithAlignments(IEnumerable<AlignmentLink> alignments, IClock clock) => Edit(clock, alignments: alignments ?? throw Missing(nameof(Alignments)));

    /// <summary>Moves Draft → Active. Rules check the number of key results.</summary>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The active objective.</returns>
    /// <exception cref="OkrValidationException">The objective is not a draft.</exception>
    public Objective Activate(IClock clock) => Move(clock, ObjectiveState.Active, null, ObjectiveState.Draft);

    /// <summary>Moves Active → Closed with its final grade.</summary>
    /// <param name="grade">The final grade.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The closed objective.</returns>
    /// <exception cref="OkrValidationException">The objective is not active, or the grade is missing.</exception>
    public Objective Close(FinalGrade grade, IClock clock) => Move(clock, ObjectiveState.Closed, grade, ObjectiveState.Active);

    /// <summary>Moves Draft or Active → Cancelled.</summary>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The cancelled objective.</returns>
    /// <exception cref="OkrValidationException">The objective is already Closed or Cancelled.</exception>
    public Objective Cancel(IClock clock) => Move(clock, ObjectiveState.Cancelled, null, ObjectiveState.Draft, ObjectiveState.Active);

    /// <summary>
    /// Moves Closed → Active to correct its grade after its period was reopened: the grade is taken off (it stays in the
    /// audit trail, with who set it and why) and the reason kept in <see cref="ReopenReason"/>. Closing the period again
    /// grades it anew.
    /// </summary>
    /// <param name="reason">Why; not blank, at most <see cref="MaxReopenReasonLength"/> characters.</param>
    /// <param name="clock">Supplies the update instant.</param>
    /// <returns>The active objective.</returns>
    /// <exception cref="OkrValidationException">The objective is not closed, or the reason is blank or too long.</exception>
    public Objective Reopen(string reason, IClock clock)
    {
        var violations = new ViolationList();
        violations.Text(reason, nameof(ReopenReason), MaxReopenReasonLength, multiLine: true);
        violations.ThrowIfAny();
        return Move(clock, ObjectiveState.Active, null, reason, ObjectiveState.Closed);
    }

    /// <summary>
    /// Returns the same objective with another version and nothing else changed. For store
    /// implementations, which stamp the next version on a successful write.
    /// </summary>
    /// <param name="version">The new version, ≥ 0.</param>
    /// <returns>The copy.</returns>
    public Objective WithVersion(long version) =>
        new(Id, PeriodId, Title, Description, Owner, Kind, State, Visibility, _keyResults, _alignments, version, CreatedAt, UpdatedAt, Grade, UpdatedBy, ReopenReason, CarriedFrom) { Cadence = Cadence };

    /// <summary>Returns the same objective recording who made this version, and nothing else changed.</summary>
    /// <param name="actor">Who made the change; null for the system.</param>
    /// <returns>The copy.</returns>
    public Objective WithUpdatedBy(OwnerRef? actor) =>
        actor == UpdatedBy ? this : new(Id, PeriodId, Title, Description, Owner, Kind, State, Visibility, _keyResults, _alignments, Version, CreatedAt, UpdatedAt, Grade, actor, ReopenReason, CarriedFrom) { Cadence = Cadence };

    /// <summary>The same objective recording who made this version and when (never before <see cref="CreatedAt"/>).</summary>
    internal Objective Restamp(OwnerRef? actor, Instant at) =>
        new(Id, PeriodId, Title, Description, Owner, Kind, State, Visibility, _keyResults, _alignments, Version, CreatedAt, at < CreatedAt ? CreatedAt : at, Grade, actor, ReopenReason, CarriedFrom) { Cadence = Cadence };

    /// <inheritdoc/>
    public bool Equals(Objective? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Id == other.Id
                && PeriodId == other.PeriodId
                && Title == other.Title
                && Description == other.Description
                && Owner == other.Owner
                && Kind == other.Kind
                && State == other.State
                && Visibility == other.Visibility
                && Version == other.Version
                && CreatedAt == other.CreatedAt
                && UpdatedAt == other.UpdatedAt
                && Equals(Grade, other.Grade)
                && UpdatedBy == other.UpdatedBy
                && ReopenReason == other.ReopenReason
                && CarriedFrom == other.CarriedFrom
                && Equals(Cadence, other.Cadence)
                && _keyResults.SequenceEqual(other._keyResults)
                && _alignments.SequenceEqual(other._alignments)));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Objective);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Version, UpdatedAt, Title, _keyResults.Length, _alignments.Length);

    /// <summary>Returns the title with the id, for diagnostics.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"Objective {Id} '{Title}' ({State}, v{Version})";

    private static OkrValidationException Missing(string member) =>
        new([new OkrViolation(OkrErrorCodes.Required, member, $"{member} is required; null was given.")]);

    private int IndexOf(KeyResultId id)
    {
        for (var i = 0; i < _keyResults.Length; i++)
        {
            if (_keyResults[i].Id == id)
            {
                return i;
            }
        }

        throw new OkrValidationException([new OkrViolation(OkrErrorCodes.UnknownReference, nameof(KeyResults), $"Objective '{Title}' has no key result {id}.")]);
    }

    private Objective Edit(
        IClock clock,
        string? title = null,
        string? description = null,
        OwnerRef? owner = null,
        ObjectiveKind? kind = null,
        Visibility? visibility = null,
        IEnumerable<KeyResult>? keyResults = null,
        IEnumerable<AlignmentLink>? alignments = null,
        (CheckInCadence? Cadence, bool Set)? cadence = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (!IsEditable)
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.ReadOnlyState, nameof(State), $"Objective '{Title}' is {State} and can no longer be edited.")]);
        }

        return new Objective(
            Id,
            PeriodId,
            title ?? Title,
            description ?? Description,
            owner ?? Owner,
            kind ?? Kind,
            State,
            visibility ?? Visibility,
            keyResults ?? _keyResults,
            alignments ?? _alignments,
            Version,
            CreatedAt,
            Later(clock),
            Grade,
            reopenReason: ReopenReason,
            carriedFrom: CarriedFrom) { Cadence = cadence.HasValue ? cadence.Value.Cadence : Cadence };
    }

    private Objective Move(IClock clock, ObjectiveState to, FinalGrade? grade, params ReadOnlySpan<ObjectiveState> from) => Move(clock, to, grade, null, from);

    private Objective Move(IClock clock, ObjectiveState to, FinalGrade? grade, string? reopenReason, params ReadOnlySpan<ObjectiveState> from)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (!from.Contains(State))
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.IllegalTransition, nameof(State), $"Objective '{Title}' cannot move from {State} to {to}; allowed from: {string.Join(", ", from.ToArray())}.")]);
        }

        return new Objective(Id, PeriodId, Title, Description, Owner, Kind, to, Visibility, _keyResults, _alignments, Version, CreatedAt, Later(clock), grade, reopenReason: reopenReason ?? ReopenReason, carriedFrom: CarriedFrom) { Cadence = Cadence };
    }

    /// <summary>The clock's instant, but never before <see cref="CreatedAt"/> (a clock set back must not break the invariant).</summary>
    private Instant Later(IClock clock)
    {
        var now = clock.GetCurrentInstant();
        return now < CreatedAt ? CreatedAt : now;
    }

    private static void CheckDefined<T>(ref ViolationList violations, T value, string member)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            violations.Add(OkrErrorCodes.OutOfRange, member, $"{member} {value} is not defined.");
        }
    }

    private static ImmutableArray<KeyResult> CheckKeyResults(ref ViolationList violations, IEnumerable<KeyResult>? keyResults)
    {
        if (keyResults is null)
        {
            violations.Add(OkrErrorCodes.Required, nameof(KeyResults), "KeyResults is required (it may be empty).");
            return [];
        }

        var array = keyResults.ToImmutableArray();
        HashSet<KeyResultId>? seen = array.Length > 16 ? [] : null;
        for (var i = 0; i < array.Length; i++)
        {
            if (array[i] is null)
            {
                violations.Add(OkrErrorCodes.Required, $"KeyResults[{i}]", "A key result must not be null.");
                continue;
            }

            // Objectives usually hold a handful of key results: a pairwise scan beats allocating a set.
            var duplicate = seen is not null ? !seen.Add(array[i].Id) : IndexOf(array, array[i].Id, i) >= 0;
            if (duplicate)
            {
                violations.Add(OkrErrorCodes.DuplicateId, $"KeyResults[{i}].Id", $"Key result id {array[i].Id} appears more than once.");
            }
        }

        return array;
    }

    /// <summary>The index of the first of the first <paramref name="count"/> key results with an id, or -1.</summary>
    private static int IndexOf(ImmutableArray<KeyResult> keyResults, KeyResultId id, int count)
    {
        for (var j = 0; j < count; j++)
        {
            if (keyResults[j] is not null && keyResults[j].Id == id)
            {
                return j;
            }
        }

        return -1;
    }

    private static ImmutableArray<AlignmentLink> CheckAlignments(ref ViolationList violations, IEnumerable<AlignmentLink>? alignments, ObjectiveId self)
    {
        if (alignments is null)
        {
            violations.Add(OkrErrorCodes.Required, nameof(Alignments), "Alignments is required (it may be empty).");
            return [];
        }

        var array = alignments.ToImmutableArray();
        for (var i = 0; i < array.Length; i++)
        {
            var link = array[i];
            if (link is null)
            {
                violations.Add(OkrErrorCodes.Required, $"Alignments[{i}]", "An alignment link must not be null.");
                continue;
            }

            if (link.ParentObjectiveId == self)
            {
                violations.Add(OkrErrorCodes.InvalidAlignment, $"Alignments[{i}].ParentObjectiveId", "An objective cannot align to itself or to its own key results.");
            }

            for (var j = 0; j < i; j++)
            {
                if (array[j] is not null && array[j].HasSameParentAs(link))
                {
                    violations.Add(OkrErrorCodes.InvalidAlignment, $"Alignments[{i}]", "The same parent appears in two alignment links.");
                    break;
                }
            }
        }

        return array;
    }
}
