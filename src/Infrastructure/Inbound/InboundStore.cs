using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Inbound;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Inbound;

public sealed class InboundStore(DbSession session) : IInboundStore
{
    private sealed record EventRow(Guid Id, Guid ConnectorId, string? EventId, string? ContentType, string? UserAgent, string Payload, DateTime ReceivedAt);

    public Task<InboundEndpoint?> FindEndpointAsync(Guid connectorId, CancellationToken cancellationToken)
    {
        const string sql = """
            select w.workspace_id, w.connector_id, w.secret, w.previous_secret, w.previous_secret_expires_at
            from webhooks w
            join connectors c on c.id = w.connector_id and c.workspace_id = w.workspace_id
            where w.connector_id = @connectorId and w.direction = 'inbound' and w.enabled and c.deleted_at is null
            """;
        return session.SingleOrDefaultAsync<InboundEndpoint>(sql, new { connectorId }, cancellationToken);
    }

    public async Task<bool> TryInsertAsync(InboundEvent inboundEvent, CancellationToken cancellationToken)
    {
        // The jsonb column is filled from the same bytes, decoded by Postgres: what is stored is what was verified.
        const string sql = """
            insert into inbound_events (id, workspace_id, connector_id, event_id, raw_body, payload, content_type, user_agent, received_at)
            values (@Id, @WorkspaceId, @ConnectorId, @EventId, @RawBody, convert_from(@RawBody, 'UTF8')::jsonb, @ContentType, @UserAgent, @ReceivedAt)
            on conflict (connector_id, event_id) where event_id is not null do nothing
            """;
        return await session.ExecuteAsync(sql, inboundEvent, cancellationToken) == 1;
    }

    public Task<Guid?> FindByEventIdAsync(Guid workspaceId, Guid connectorId, string eventId, CancellationToken cancellationToken)
    {
        const string sql = """
            select id from inbound_events
            where workspace_id = @workspaceId and connector_id = @connectorId and event_id = @eventId
            """;
        return session.ScalarAsync<Guid?>(sql, new { workspaceId, connectorId, eventId }, cancellationToken);
    }

    public async Task<IReadOnlyList<InboundEventDto>> ListAsync(Guid workspaceId, Guid connectorId, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        const string sql = """
            select id, connector_id, event_id, content_type, user_agent, payload::text as payload, received_at
            from inbound_events
            where workspace_id = @workspaceId and connector_id = @connectorId and (@after::uuid is null or id < @after)
            order by id desc
            limit @take
            """;
        var rows = await session.ListAsync<EventRow>(sql, new { workspaceId, connectorId, after = page.After, take = page.Limit + 1 }, cancellationToken);
        return rows.Select(r => new InboundEventDto(
            r.Id, r.ConnectorId, r.EventId, r.ContentType, r.UserAgent, JsonDocument.Parse(r.Payload).RootElement.Clone(), r.ReceivedAt)).ToArray();
    }
}
