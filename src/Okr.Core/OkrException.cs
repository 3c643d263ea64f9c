namespace Okr.Core;

/// <summary>
/// The base type of every exception Okr.Core throws on purpose. Catch it to handle any
/// library-detected problem; catch a derived type to handle one kind.
/// </summary>
public abstract class OkrException : Exception
{
    /// <summary>Initialises the exception with a message.</summary>
    /// <param name="message">What went wrong, in a sentence a developer can act on.</param>
    protected OkrException(string message)
        : base(message)
    {
    }

    /// <summary>Initialises the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong, in a sentence a developer can act on.</param>
    /// <param name="innerException">The underlying cause.</param>
    protected OkrException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
