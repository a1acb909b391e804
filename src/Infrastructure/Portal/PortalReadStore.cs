using Causeloop.Application.Abstractions;
using Causeloop.Application.Portal;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Portal;

public sealed class PortalReadStore(DbSession session) : IPortalReadStore
{
    public Task<IReadOnlyList<PortalWebhookSummary>> ListWebhooksAsync(Guid workspaceId, Guid[]? only, CancellationToken cancellationToken)
    {
        const string sql = """
            select w.id, w.url, w.description, w.enabled, w.disabled_reason,
                   (select avg(case when a.status_code between 200 and 299 then 1.0 else 0.0 end)::float8
                    from deliveries d join delivery_attempts a on a.delivery_id = d.id
                    where d.workspace_id = w.workspace_id and d.webhook_id = w.id and a.started_at > now() - interval '24 hours') as success_rate24h,
                   last.started_at as last_attempt_at, last.status_code as last_status_code, last.error as last_error
            from webhooks w
            left join lateral (
                select a.started_at, a.status_code, a.error
                from deliveries d join delivery_attempts a on a.delivery_id = d.id
                where d.workspace_id = w.workspace_id and d.webhook_id = w.id
                order by a.started_at desc limit 1
            ) last on true
            where w.workspace_id = @workspaceId and w.direction = 'outbound' and (@only::uuid[] is null or w.id = any(@only))
            order by w.id desc
            limit 200
            """;
        return session.ListAsync<PortalWebhookSummary>(sql, new { workspaceId, only }, cancellationToken);
    }

    public Task<byte[]?> SecretAsync(Guid workspaceId, Guid webhookId, CancellationToken cancellationToken) =>
        session.ScalarAsync<byte[]?>("select secret from webhooks where workspace_id = @workspaceId and id = @webhookId", new { workspaceId, webhookId }, cancellationToken);
}
