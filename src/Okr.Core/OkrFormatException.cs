namespace Okr.Core;

/// <summary>
/// Thrown when a serialized OKR document cannot be read: malformed JSON, an unknown
/// <c>format</c> version, input over the configured limits, or values that break the model's
/// rules. Nothing is imported when it is thrown.
/// </summary>
public sealed class OkrFormatException : OkrException
{
    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What is wrong with the document.</param>
    /// <param name="path">The JSON path of the offending place (for example <c>$.objectives[3].title</c>).</param>
    /// <param name="innerException">The underlying parser or validation error, if any.</param>
    public OkrFormatException(string message, string path, Exception? innerException = null)
        : base($"{message} (at {path})", innerException)
    {
        Path = path;
    }

    /// <summary>The JSON path of the offending place, starting with <c>$</c>.</summary>
    public string Path { get; }
}
