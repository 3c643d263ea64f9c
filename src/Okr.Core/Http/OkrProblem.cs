namespace Okr.Core.Http;

/// <summary>
/// An Okr.Core exception as an RFC 9457 problem, for web APIs: the HTTP status, a stable problem type, a title, the
/// exception's message as the detail and, for validation and format errors, every violation with its error code and
/// path. No exception type name appears in it. Map it to the framework's own type, for example
/// <c>Results.Problem(p.Detail, statusCode: p.Status, title: p.Title, type: p.Type, extensions: new Dictionary&lt;string, object?&gt; { ["errors"] = p.Errors })</c>.
/// </summary>
public sealed class OkrProblem
{
    internal OkrProblem(int status, string type, string title, string detail, IReadOnlyList<OkrViolation> errors)
    {
        Status = status;
        Type = type;
        Title = title;
        Detail = detail;
        Errors = errors;
    }

    /// <summary>
    /// 400 for a broken rule or bad input, 403 for a write the actor may not make, 404 for what does not
    /// exist or the actor may not see, 409 for a lost race, 412 for a stale <c>If-Match</c>.
    /// </summary>
    public int Status { get; }

    /// <summary>
    /// A URN naming the kind of problem: <c>urn:okr:problem:validation</c>, <c>…:format</c>, <c>…:not-found</c>,
    /// <c>…:access-denied</c>, <c>…:conflict</c>, <c>…:precondition-failed</c>.
    /// </summary>
    public string Type { get; }

    /// <summary>A short, fixed summary of the kind of problem.</summary>
    public string Title { get; }

    /// <summary>The exception's message: what went wrong, in the words the library chose for the caller.</summary>
    public string Detail { get; }

    /// <summary>Every violation (code, path, message); empty for problems without any.</summary>
    public IReadOnlyList<OkrViolation> Errors { get; }

    /// <summary>
    /// The problem an exception describes, or null when it is not one of Okr.Core's (the host's own error handling
    /// then answers, usually with 500 and no detail).
    /// </summary>
    /// <param name="exception">The exception a call threw.</param>
    /// <param name="versionFromIfMatch">True when the call's expected version came from the request's <c>If-Match</c>:
    /// a lost race is then 412 Precondition Failed instead of 409 Conflict.</param>
    /// <returns>The problem, or null.</returns>
    public static OkrProblem? From(Exception exception, bool versionFromIfMatch = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OkrValidationException v => new(400, "urn:okr:problem:validation", "The request breaks a rule.", v.Message, v.Violations),
            OkrFormatException f => new(400, "urn:okr:problem:format", "The document cannot be read.", f.Message, [new OkrViolation(OkrErrorCodes.Invalid, f.Path, f.Message)]),
            OkrNotFoundException n => new(404, "urn:okr:problem:not-found", "Not found.", n.Message, []),
            OkrAccessDeniedException d => new(403, "urn:okr:problem:access-denied", "Not allowed.", d.Message, []),
            OkrConcurrencyException c when versionFromIfMatch => new(412, "urn:okr:problem:precondition-failed", "The resource has changed since it was read.", c.Message, []),
            OkrConcurrencyException c => new(409, "urn:okr:problem:conflict", "Someone else changed the same data.", c.Message, []),
            _ => null,
        };
    }
}
