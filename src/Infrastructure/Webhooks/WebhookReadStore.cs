using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Webhooks;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Webhooks;

/// <summary>Reads webhooks for display; secrets (the signing secret, header values, the auth's secret) are never selected.</summary>
public sealed class WebhookReadStore(DbSession session) : IWebhookReadStore
{
    private const string Columns =
        "id, workspace_id, direction, url, connector_id, event_types, enabled, description, disabled_reason, created_at, updated_at, filter, rate_limit, header_names, auth::text as auth";

    public Task<Webhook?> GetAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken)
    {
        const string sql = $"select {Columns} from webhooks where workspace_id = @workspaceId and id = @id";
        return session.SingleOrDefaultAsync<Webhook>(sql, new { workspaceId, id }, cancellationToken);
    }

    public Task<IReadOnlyList<Webhook>> ListAsync(Guid workspaceId, string? direction, bool? enabled, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        const string sql = $"""
            select {Columns} from webhooks
            where workspace_id = @workspaceId
              and (@after::uuid is null or id < @after)
              and (@direction::text is null or direction = @direction)
              and (@enabled::boolean is null or enabled = @enabled)
            order by id desc
            limit @take
            """;
        return session.ListAsync<Webhook>(sql, new { workspaceId, after = page.After, direction, enabled, take = page.Limit + 1 }, cancellationToken);
    }
}
