using Causeloop.Domain.Access;

namespace Causeloop.Application.Abstractions;

/// <summary>The authenticated API key behind the current request.</summary>
public interface ICurrentCaller
{
    bool IsAuthenticated { get; }

    Guid WorkspaceId { get; }

    ScopeSet Scopes { get; }
}
