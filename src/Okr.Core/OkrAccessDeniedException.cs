namespace Okr.Core;

/// <summary>
/// Thrown when the host's access policy does not let the acting person read or change what a call touches.
/// Nothing was written.
/// </summary>
public sealed class OkrAccessDeniedException : OkrException
{
    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What was denied, and to whom.</param>
    /// <param name="actor">Who was denied.</param>
    public OkrAccessDeniedException(string message, OwnerRef actor)
        : base(message) => Actor = actor;

    /// <summary>Who was denied.</summary>
    public OwnerRef Actor { get; }
}
