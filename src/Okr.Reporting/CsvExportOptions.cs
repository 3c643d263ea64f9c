using System.Globalization;
using Okr.Core;
using Okr.Core.Service;

namespace Okr.Reporting;

/// <summary>What a CSV export (<see cref="CsvExport"/>) holds and how it writes numbers.</summary>
public sealed record CsvExportOptions
{
    /// <summary>The most objectives one page of a check-in export reads (<see cref="PageSize"/>).</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>The whole period, culture-invariant numbers, comma-separated, owners by reference.</summary>
    public static CsvExportOptions Default { get; } = new();

    /// <summary>Which objectives: a subtree, owners, the top levels (<see cref="SummaryScope"/>); the whole period when null.</summary>
    public SummaryScope? Scope { get; init; }

    /// <summary>Where owners' display names come from (the reports' resolver); the name columns stay empty when null.</summary>
    public IOwnerDirectory? Owners { get; init; }

    /// <summary>
    /// The culture of numbers (decimal separator): culture-invariant (<c>0.725</c>) when null. Instants are always
    /// ISO 8601 in UTC, and codes (health, kind, state) are never translated: they are data, not text.
    /// </summary>
    public CultureInfo? Culture { get; init; }

    /// <summary>
    /// The separator between columns; a comma by default. A field holding it, a quote or a line break is quoted
    /// (RFC 4180). Spreadsheets of cultures whose decimal separator is a comma usually expect a semicolon.
    /// </summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// How many objectives a check-in export reads at a time, and how many rows any export writes between flushes to
    /// the output (1..<see cref="MaxPageSize"/>); 500 by default. A check-in export holds two pages at once: one written, the next read.
    /// </summary>
    public int PageSize { get; init; } = 500;

    /// <summary>
    /// Whether text people typed (titles, display names, notes, override reasons) that starts with <c>=</c>, <c>+</c>,
    /// <c>-</c>, <c>@</c>, a tab or a carriage return is written with a leading apostrophe, so that a spreadsheet shows
    /// it as text instead of evaluating it as a formula (CSV injection); true by default. Ids, codes, numbers and
    /// instants are never changed. Turn it off when the file goes to a program rather than a spreadsheet.
    /// </summary>
    public bool ProtectFormulas { get; init; } = true;

    /// <summary>Checks the options.</summary>
    /// <exception cref="OkrValidationException">The separator is a quote, a line break or a letter or digit, the page size is out of range, or the scope is invalid.</exception>
    public void Validate()
    {
        var violations = new List<OkrViolation>();
        if (Separator is '"' or '\r' or '\n' || char.IsLetterOrDigit(Separator) || char.IsControl(Separator) && Separator != '\t')
        {
            violations.Add(new OkrViolation(OkrErrorCodes.OutOfRange, nameof(Separator), $"Separator must not be a quote, a line break, a control character other than tab, a letter or a digit; it is U+{(int)Separator:X4}."));
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            violations.Add(new OkrViolation(OkrErrorCodes.OutOfRange, nameof(PageSize), $"PageSize must be between 1 and {MaxPageSize}; it is {PageSize}."));
        }

        if (violations.Count > 0)
        {
            throw new OkrValidationException(violations);
        }

        Scope?.Validate();
    }
}
