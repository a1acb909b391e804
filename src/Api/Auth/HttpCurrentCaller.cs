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

    public ScopeSet Scopes => _scopes ??= IsAuthenticated
        ? ScopeSet.Parse(accessor.HttpContext!.User.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value), out _)
        : ScopeSet.Empty;
}
