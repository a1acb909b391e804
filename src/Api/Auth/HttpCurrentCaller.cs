using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;

namespace Causeloop.Api.Auth;

/// <summary>The caller of the current HTTP request, from the claims the API key handler (or the portal's cookie handler) set.</summary>
public sealed class HttpCurrentCaller(IHttpContextAccessor accessor) : ICurrentCaller
{
    private ScopeSet? _scopes;

    public bool IsAuthenticated => accessor.HttpContext?.User.Identity?.IsAuthenticated == true
        && accessor.HttpContext.User.Identity.AuthenticationType is ApiKeyAuthenticationHandler.SchemeName or Portal.PortalAuthenticationHandler.SchemeName;

    public Guid WorkspaceId => IsAuthenticated
        ? Guid.Parse(accessor.HttpContext!.User.FindFirst(ApiKeyAuthenticationHandler.WorkspaceClaim)!.Value)
        : throw new InvalidOperationException("No authenticated caller.");

    public ScopeSet Scopes => _scopes ??= IsAuthenticated ? ScopesOf(accessor.HttpContext!.User) : ScopeSet.Empty;

    public string? ApiKeyPrefix => IsAuthenticated ? accessor.HttpContext!.User.FindFirst(ApiKeyAuthenticationHandler.KeyPrefixClaim)?.Value : null;

    public Guid? PortalSessionId =>
        IsAuthenticated && accessor.HttpContext!.User.FindFirst(Portal.PortalAuthenticationHandler.SessionClaim)?.Value is { } id ? Guid.Parse(id) : null;

    /// <summary>An API key's scopes; a portal session's scopes with its capabilities, which the pipeline checks too.</summary>
    private static ScopeSet ScopesOf(System.Security.Claims.ClaimsPrincipal user)
    {
        var scopes = ScopeSet.Parse(user.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value), out _).Scopes;
        return user.Identity!.AuthenticationType == Portal.PortalAuthenticationHandler.SchemeName
            ? ScopeSet.ForPortal(scopes, user.FindAll(Portal.PortalAuthenticationHandler.CapabilityClaim).Select(c => c.Value))
            : new ScopeSet(scopes);
    }
}
