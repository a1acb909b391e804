using Causeloop.Application.Portal;

namespace Causeloop.Application.Abstractions;

public interface IPortalSessions
{
    Task InsertAsync(PortalSession portal, CancellationToken cancellationToken);

    /// <summary>Marks the workspace's session revoked; false when there is no such session.</summary>
    Task<bool> RevokeAsync(Guid workspaceId, Guid id, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// Exchanges a link token, once: when it belongs to a live session not yet exchanged, stores the cookie's hash and
    /// returns the session; otherwise null (reused, expired, revoked or unknown alike).
    /// </summary>
    Task<PortalSession?> ExchangeAsync(byte[] tokenHash, byte[] cookieHash, DateTime now, CancellationToken cancellationToken);

    /// <summary>The live session holding this cookie, or null.</summary>
    Task<PortalSession?> FindByCookieAsync(byte[] cookieHash, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a webhook to a session limited to some webhooks (one whose list is null covers the workspace already), in the
    /// current transaction.
    /// </summary>
    Task AddWebhookAsync(Guid workspaceId, Guid sessionId, Guid webhookId, CancellationToken cancellationToken);

    /// <summary>How many of the ids are outbound webhooks (or connectors) of the workspace: the portal never shows an inbound webhook.</summary>
    Task<int> CountOwnedAsync(Guid workspaceId, Guid[] webhookIds, Guid[] connectorIds, CancellationToken cancellationToken);
}
