namespace Okr.Core;

/// <summary>Thrown when an identifier names nothing that exists (for the tenant asked about).</summary>
public sealed class OkrNotFoundException : OkrException
{
    /// <summary>Initialises the exception.</summary>
    /// <param name="message">What was not found.</param>
    public OkrNotFoundException(string message)
        : base(message)
    {
    }
}
