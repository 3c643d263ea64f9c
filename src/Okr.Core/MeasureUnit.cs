using System.Diagnostics.CodeAnalysis;

namespace Okr.Core;

/// <summary>The unit of a key result's values: a number, a percentage, a currency or a custom label.</summary>
/// <remarks>
/// The text form is <c>number</c>, <c>percent</c>, <c>currency:EUR</c> or <c>custom:tickets</c>.
/// The unit only describes values; it never changes how they are scored.
/// </remarks>
public readonly record struct MeasureUnit
{
    /// <summary>The longest custom label accepted.</summary>
    public const int MaxLabelLength = 32;

    private MeasureUnit(MeasureUnitKind kind, string? code)
    {
        Kind = kind;
        Code = code;
    }

    /// <summary>A plain number. This is also <c>default(MeasureUnit)</c>.</summary>
    public static MeasureUnit Number => default;

    /// <summary>A percentage.</summary>
    public static MeasureUnit Percent => new(MeasureUnitKind.Percent, null);

    /// <summary>What kind of unit this is.</summary>
    public MeasureUnitKind Kind { get; }

    /// <summary>The currency code or the custom label; null for numbers and percentages.</summary>
    public string? Code { get; }

    /// <summary>An amount of money.</summary>
    /// <param name="isoCode">An ISO 4217 code: three ASCII capital letters, for example <c>EUR</c>.</param>
    /// <returns>The unit.</returns>
    /// <exception cref="OkrValidationException">The code is not three ASCII capital letters.</exception>
    public static MeasureUnit Currency(string isoCode)
    {
        if (isoCode is not { Length: 3 } || !isoCode.All(char.IsAsciiLetterUpper))
        {
            throw new OkrValidationException([new OkrViolation(OkrErrorCodes.OutOfRange, "Currency", $"A currency code is three ASCII capital letters (ISO 4217), not '{isoCode}'.")]);
        }

        return new MeasureUnit(MeasureUnitKind.Currency, isoCode);
    }

    /// <summary>A custom label such as "tickets".</summary>
    /// <param name="label">Not blank, at most <see cref="MaxLabelLength"/> characters, no control characters.</param>
    /// <returns>The unit.</returns>
    /// <exception cref="OkrValidationException">The label is blank, too long or has control characters.</exception>
    public static MeasureUnit Custom(string label)
    {
        var violations = new ViolationList();
        violations.Text(label, "Label", MaxLabelLength);
        violations.ThrowIfAny();
        return new MeasureUnit(MeasureUnitKind.Custom, label);
    }

    /// <summary>Parses the text form (<c>number</c>, <c>percent</c>, <c>currency:EUR</c>, <c>custom:label</c>).</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="unit">The unit, or <see cref="Number"/> when parsing fails.</param>
    /// <returns>Whether the text was a valid unit.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out MeasureUnit unit)
    {
        unit = Number;
        switch (text)
        {
            case null:
                return false;
            case "number":
                return true;
            case "percent":
                unit = Percent;
                return true;
        }

        try
        {
            if (text.StartsWith("currency:", StringComparison.Ordinal))
            {
                unit = Currency(text["currency:".Length..]);
                return true;
            }

            if (text.StartsWith("custom:", StringComparison.Ordinal))
            {
                unit = Custom(text["custom:".Length..]);
                return true;
            }
        }
        catch (OkrValidationException)
        {
            unit = Number;
        }

        return false;
    }

    /// <summary>Returns the text form, for example <c>currency:EUR</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => Kind switch
    {
        MeasureUnitKind.Percent => "percent",
        MeasureUnitKind.Currency => $"currency:{Code}",
        MeasureUnitKind.Custom => $"custom:{Code}",
        _ => "number",
    };
}
