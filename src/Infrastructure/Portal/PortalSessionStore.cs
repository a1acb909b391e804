using Causeloop.Application.Abstractions;
using Causeloop.Application.Portal;
using Causeloop.Domain.Webhooks;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Portal;

public sealed class PortalSessionStore(DbSession session) : IPortalSessions
{
    /// <summary>Dapper sees array columns as <see cref="Array"/>, so it fills properties here rather than the record's constructor.</summary>
    private sealed class Row
    {
        public Guid Id { get; set; }
        public Guid WorkspaceId { get; set; }
        public byte[] TokenHash { get; set; } = [];
        public byte[]? CookieHash { get; set; }
        public Guid[]? WebhookIds { get; set; }
        public Guid[]? ConnectorIds { get; set; }
        public string[] Capabilities { get; set; } = [];
        public string[] KeyScopes { get; set; } = [];
        public DateTime CreatedAt { get; set; }
        public DateTime ExpiresAt { get; set; }
        public DateTime? ExchangedAt { get; set; }
        public DateTime? RevokedAt { get; set; }

        public PortalSession ToSession() =>
            new(Id, WorkspaceId, TokenHash, CookieHash, WebhookIds, ConnectorIds, Capabilities, KeyScopes, CreatedAt, ExpiresAt, ExchangedAt, RevokedAt);
    }

    private const string Columns = """
        id, workspace_id, token_hash, cookie_hash, webhook_ids, connector_ids, capabilities, key_scopes, created_at, expires_at, exchanged_at, revoked_at
        """;

    public async Task InsertAsync(PortalSession portal, CancellationToken cancellationToken)
    {
        const string sql = $"""
            insert into portal_sessions ({Columns})
            values (@Id, @WorkspaceId, @TokenHash, @CookieHash, @WebhookIds, @ConnectorIds, @Capabilities, @KeyScopes, @CreatedAt, @ExpiresAt, @ExchangedAt, @RevokedAt)
            """;
        await session.ExecuteAsync(sql, portal, cancellationToken);
    }

    public async Task<bool> RevokeAsync(Guid workspaceId, Guid id, DateTime now, CancellationToken cancellationToken)
    {
        const string sql = """
            update portal_sessions set revoked_at = coalesce(revoked_at, @now)
            where workspace_id = @workspaceId and id = @id
            """;
        return await session.ExecuteAsync(sql, new { workspaceId, id, now }, cancellationToken) == 1;
    }

    public async Task<PortalSession?> ExchangeAsync(byte[] tokenHash, byte[] cookieHash, DateTime now, CancellationToken cancellationToken)
    {
        // One statement: a token is exchanged at most once, even by two requests at the same instant.
        const string sql = $"""
            update portal_sessions set cookie_hash = @cookieHash, exchanged_at = @now
            where token_hash = @tokenHash and exchanged_at is null and revoked_at is null and expires_at > @now
            returning {Columns}
            """;
        return (await session.SingleOrDefaultAsync<Row>(sql, new { tokenHash, cookieHash, now }, cancellationToken))?.ToSession();
    }

    public async Task<PortalSession?> FindByCookieAsync(byte[] cookieHash, DateTime now, CancellationToken cancellationToken)
    {
        const string sql = $"""
            select {Columns} from portal_sessions
            where cookie_hash = @cookieHash and revoked_at is null and expires_at > @now
            """;
        return (await session.SingleOrDefaultAsync<Row>(sql, new { cookieHash, now }, cancellationToken))?.ToSession();
    }

    public async Task AddWebhookAsync(Guid workspaceId, Guid sessionId, Guid webhookId, CancellationToken cancellationToken)
    {
        const string sql = """
            update portal_sessions set webhook_ids = array_append(webhook_ids, @webhookId)
            where workspace_id = @workspaceId and id = @sessionId and webhook_ids is not null and not (@webhookId = any(webhook_ids))
            """;
        await session.ExecuteAsync(sql, new { workspaceId, sessionId, webhookId }, cancellationToken);
    }

    public async Task<int> CountOwnedAsync(Guid workspaceId, Guid[] webhookIds, Guid[] connectorIds, CancellationToken cancellationToken)
    {
        const string sql = """
            select (select count(*) from webhooks where workspace_id = @workspaceId and id = any(@webhookIds) and direction = @outbound)
                 + (select count(*) from connectors where workspace_id = @workspaceId and id = any(@connectorIds) and deleted_at is null)
            """;
        return (int)await session.ScalarAsync<long>(sql, new { workspaceId, webhookIds, connectorIds, outbound = WebhookDirection.Outbound }, cancellationToken);
    }
}
