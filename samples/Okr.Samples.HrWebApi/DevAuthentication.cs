using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Okr.Core;

namespace Okr.Samples.HrWebApi;

/// <summary>
/// A development sign-in: the caller names itself in <c>X-User</c> (an employee id) and its customer in <c>X-Tenant</c>.
/// A real host uses its identity provider; all the sample needs from a user is these two claims.
/// </summary>
public sealed class DevAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Dev";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers["X-User"].ToString() is not { Length: > 0 } user || !Guid.TryParse(Request.Headers["X-Tenant"], out var tenant) || tenant == Guid.Empty)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim("tenant", tenant.ToString())], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>The caller as the library sees it: a tenant and an owner reference.</summary>
public static class Caller
{
    public static TenantId Tenant(this ClaimsPrincipal user) => new(Guid.Parse(user.FindFirstValue("tenant")!));

    public static OwnerRef Actor(this ClaimsPrincipal user) => OwnerRef.Person(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
}
