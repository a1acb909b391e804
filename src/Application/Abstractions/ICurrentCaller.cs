using Causeloop.Domain.Access;

namespace Causeloop.Application.Abstractions;

/// <summary>The authenticated caller of the current request: an API key, or a portal session.</summary>
public interface ICurrentCaller
{
    bool IsAuthenticated { get; }

    Guid WorkspaceId { get; }

    ScopeSet Scopes { get; }

    /// <summary>The visible prefix of the caller's API key (never the key); null for a portal session.</summary>
    string? ApiKeyPrefix { get; }

    /// <summary>The portal session behind the request; null for an API key.</summary>
    Guid? PortalSessionId { get; }
}
