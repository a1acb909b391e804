using System.Security.Claims;
using System.Text.Encodings.Web;
using Causeloop.Api.Auth;
using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Causeloop.Api.Portal;

/// <summary>
/// The portal's cookie (HttpOnly, SameSite=Strict, Secure under https), issued once per link token. A session's
/// capabilities become the scopes the same mediator commands as the REST API check: <c>read</c> → webhooks:read and
/// connectors:read; <c>manage</c> and <c>secrets</c> → webhooks:admin — each only when the API key that opened the session
/// had it (a session whose key could not read connectors covers none). The capabilities themselves are claims too, and
/// the pipeline refuses a message that needs more than reading unless it names one the session holds
/// (<c>IRequirePortalCapability</c>); the pages check them first, to show only what is allowed. A missing, expired or
/// revoked cookie is challenged with a bare 401 (and a forbidden request a bare 403, the handler's defaults), which the
/// portal's status page (<c>Pages/Portal/Status</c>) renders in the portal's layout.
/// </summary>
public sealed class PortalAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IPortalSessions sessions,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Portal";
    public const string CookieName = "causeloop_portal";
    public const string SessionClaim = "causeloop:portal_session";
    public const string CapabilityClaim = "causeloop:capability";
    public const string WebhookClaim = "causeloop:webhook";
    public const string ConnectorClaim = "causeloop:connector";
    public const string AllClaimValue = "*";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrWhiteSpace(cookie) || cookie.Length > 100)
        {
            return AuthenticateResult.NoResult();
        }

        var session = await sessions.FindByCookieAsync(PortalSecret.Hash(cookie), time.GetUtcNow().UtcDateTime, Context.RequestAborted);
        if (session is null)
        {
            return AuthenticateResult.Fail("The portal session has ended.");
        }

        // Never more than the key that opened the session could do.
        var key = ScopeSet.Parse(session.KeyScopes, out _);
        var scopes = PortalCapability.ScopesOf(session.Capabilities, key);
        var claims = new List<Claim>
        {
            new(SessionClaim, session.Id.ToString()),
            new(ApiKeyAuthenticationHandler.WorkspaceClaim, session.WorkspaceId.ToString()),
        };
        claims.AddRange(scopes.Select(s => new Claim(ApiKeyAuthenticationHandler.ScopeClaim, s.Value)));
        claims.AddRange(PortalCapability.CappedBy(session.Capabilities, key).Select(c => new Claim(CapabilityClaim, c)));
        claims.AddRange(session.WebhookIds is null ? [new Claim(WebhookClaim, AllClaimValue)] : session.WebhookIds.Select(id => new Claim(WebhookClaim, id.ToString())));
        if (scopes.Contains(Scope.ConnectorsRead))
        {
            // A session whose key could not read connectors covers none.
            claims.AddRange(session.ConnectorIds is null ? [new Claim(ConnectorClaim, AllClaimValue)] : session.ConnectorIds.Select(id => new Claim(ConnectorClaim, id.ToString())));
        }
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
