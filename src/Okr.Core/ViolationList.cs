namespace Okr.Core;

/// <summary>
/// Collects violations so that one call reports all of them together. Internal helper of the
/// constructors and rules; throws <see cref="OkrValidationException"/> once at the end.
/// </summary>
/// <remarks>
/// A mutable struct: every constructor of the model makes one, and a valid value (nearly every one, and every one a
/// store reads back) then allocates nothing for it. Hand it to helpers by <c>ref</c> only, and never keep it in a
/// <c>readonly</c> field: a copy collects violations the original never sees.
/// </remarks>
internal struct ViolationList
{
    private List<OkrViolation>? _items;
    private int _more;

    public bool IsEmpty => _items is null;

    /// <summary>Whether the list keeps no more violations (it only counts them): add nothing costly to build then.</summary>
    public bool IsFull => _items is { Count: >= Serialization.OkrJsonOptions.MaxReportedViolations };

    public void Add(string code, string member, string message)
    {
        if (IsFull)
        {
            _more++;
            return;
        }

        (_items ??= []).Add(new OkrViolation(code, member, message));
    }

    public void Add(OkrViolation violation)
    {
        if (IsFull)
        {
            _more++;
            return;
        }

        (_items ??= []).Add(violation);
    }

    /// <summary>An instant every store keeps (<see cref="Storage.OkrStoreFormat.MinInstant"/> to <see cref="Storage.OkrStoreFormat.MaxInstant"/>, about 1677 to 2262).</summary>
    public void InstantInRange(NodaTime.Instant value, string member)
    {
        if (value < Storage.OkrStoreFormat.MinInstant || value > Storage.OkrStoreFormat.MaxInstant)
        {
            Add(OkrErrorCodes.OutOfRange, member, $"{member} ({value}) lies outside what every store keeps ({Storage.OkrStoreFormat.MinInstant} to {Storage.OkrStoreFormat.MaxInstant}).");
        }
    }

    /// <summary>Counts a violation that is not named (the list is full).</summary>
    public void CountMore() => _more++;

    public void AddRange(IEnumerable<OkrViolation> violations, string prefix)
    {
        foreach (var v in violations)
        {
            Add(v with { Member = string.IsNullOrEmpty(v.Member) ? prefix : $"{prefix}.{v.Member}" });
        }
    }

    public void ThrowIfAny()
    {
        if (_items is not null)
        {
            throw new OkrValidationException(_items, _more);
        }
    }

    /// <summary>Checks a required, single-line text: not blank, at most <paramref name="maxLength"/> characters, no control characters.</summary>
    public string Text(string? value, string member, int maxLength, bool allowBlank = false, bool multiLine = false)
    {
        if (value is null || (!allowBlank && string.IsNullOrWhiteSpace(value)))
        {
            Add(OkrErrorCodes.Required, member, $"{member} is required and must not be blank.");
            return value ?? string.Empty;
        }

        if (value.Length > maxLength)
        {
            Add(OkrErrorCodes.TooLong, member, $"{member} has {value.Length} characters; at most {maxLength} are allowed.");
        }

        if (TextRules.Check(value, multiLine) is { } problem)
        {
            Add(problem.Code, member, $"{member} {problem.Message}");
        }

        return value;
    }

    /// <summary>Checks a finite double within [min, max].</summary>
    public void Finite(double value, string member, double min, double max)
    {
        if (!double.IsFinite(value))
        {
            Add(OkrErrorCodes.NotFinite, member, $"{member} must be a finite number, not {value}.");
        }
        else if (value < min || value > max)
        {
            Add(OkrErrorCodes.OutOfRange, member, $"{member} must lie between {min} and {max}; it is {value}.");
        }
    }

    public void NotDefault<T>(T value, string member)
        where T : struct, IEquatable<T>
    {
        if (value.Equals(default))
        {
            Add(OkrErrorCodes.Required, member, $"{member} is required; the default (empty) value was given.");
        }
    }
}
