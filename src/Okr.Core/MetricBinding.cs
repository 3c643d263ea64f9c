namespace Okr.Core;

/// <summary>
/// Where a key result's values come from: a system of record (<see cref="Service.IMetricSource"/>) by its name, and the
/// key it knows the figure by (docs/metric-sources.md).
/// </summary>
public sealed class MetricBinding : IEquatable<MetricBinding>
{
    /// <summary>The longest source name.</summary>
    public const int MaxSourceLength = 64;

    /// <summary>The longest key.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>Binds a key result to a source's figure.</summary>
    /// <param name="source">The source's name (<see cref="Service.IMetricSource.Name"/>): 1 to 64 letters, digits, '.', '-' or '_'.</param>
    /// <param name="key">What the source knows the figure by: 1 to 200 characters, one line.</param>
    /// <exception cref="OkrValidationException">The name or the key is invalid; both are reported.</exception>
    public MetricBinding(string source, string key)
    {
        var violations = new ViolationList();
        if (string.IsNullOrEmpty(source) || source.Length > MaxSourceLength || !source.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(Source), $"Source must be 1 to {MaxSourceLength} letters, digits, '.', '-' or '_'; it is '{source}'.");
        }

        violations.Text(key, nameof(Key), MaxKeyLength);
        violations.ThrowIfAny();
        Source = source;
        Key = key;
    }

    /// <summary>The source's name.</summary>
    public string Source { get; }

    /// <summary>The figure's key in the source.</summary>
    public string Key { get; }

    /// <inheritdoc/>
    public bool Equals(MetricBinding? other) => other is not null && Source == other.Source && Key == other.Key;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MetricBinding);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Source, Key);

    /// <summary>The binding as <c>source:key</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Source}:{Key}";
}
