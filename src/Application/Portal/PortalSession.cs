namespace Causeloop.Application.Portal;

/// <summary>
/// A portal session as stored (hashes only) and what it covers: a null id list means every webhook (or connector) of the
/// workspace, an empty one none. Both are null only for a session opened without either list. <see cref="KeyScopes"/>
/// are the scopes of the API key that opened it: the session never grants more (<c>PortalCapability.ScopesOf</c>).
/// </summary>
public sealed record PortalSession(
    Guid Id,
    Guid WorkspaceId,
    byte[] TokenHash,
    byte[]? CookieHash,
    Guid[]? WebhookIds,
    Guid[]? ConnectorIds,
    string[] Capabilities,
    string[] KeyScopes,
    DateTime CreatedAt,
    DateTime ExpiresAt,
    DateTime? ExchangedAt,
    DateTime? RevokedAt)
{
    public bool IsLive(DateTime now) => RevokedAt is null && ExpiresAt > now;

    public bool Can(string capability) => Capabilities.Contains(capability);

    public bool CoversWebhook(Guid id) => WebhookIds is null || WebhookIds.Contains(id);

    public bool CoversConnector(Guid id) => ConnectorIds is null || ConnectorIds.Contains(id);
}
