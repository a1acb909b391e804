using Causeloop.Application.Abstractions;
using Causeloop.Application.Events;
using Causeloop.Domain.Events;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Events;

/// <summary>An event's lineage: its row (the cause was written with it) and its deliveries (<c>deliveries_event</c>).</summary>
public sealed class EventReadStore(DbSession session) : IEventReadStore
{
    private sealed record EventRow(
        Guid Id, string Type, DateTime CreatedAt, byte[] Body,
        string? CauseKind, Guid? CauseConnectorId, Guid? CauseInboundEventId, string? CauseApiKeyPrefix, Guid? CauseWebhookId);

    private sealed record CauseRow(string? CauseKind, Guid? CauseConnectorId, Guid? CauseInboundEventId, string? CauseApiKeyPrefix, Guid? CauseWebhookId);

    private const string CauseColumns = "cause_kind, cause_connector_id, cause_inbound_event_id, cause_api_key_prefix, cause_webhook_id";

    public async Task<EventCause?> CauseAsync(Guid workspaceId, Guid eventId, CancellationToken cancellationToken)
    {
        const string sql = $"select {CauseColumns} from events where workspace_id = @workspaceId and id = @eventId";
        var row = await session.SingleOrDefaultAsync<CauseRow>(sql, new { workspaceId, eventId }, cancellationToken);
        return row is null ? null : EventCause.Stored(row.CauseKind, row.CauseConnectorId, row.CauseInboundEventId, row.CauseApiKeyPrefix, row.CauseWebhookId);
    }

    public async Task<EventDetailDto?> GetAsync(Guid workspaceId, Guid eventId, CancellationToken cancellationToken)
    {
        const string eventSql = $"""
            select id, type, created_at, body, {CauseColumns}
            from events
            where workspace_id = @workspaceId and id = @eventId
            """;
        const string deliveriesSql = """
            select webhook_id, id as delivery_id, status, attempt_count as attempts, last_status_code
            from deliveries
            where workspace_id = @workspaceId and event_id = @eventId
            order by id
            """;
        var row = await session.SingleOrDefaultAsync<EventRow>(eventSql, new { workspaceId, eventId }, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var deliveries = await session.ListAsync<EventDeliveryDto>(deliveriesSql, new { workspaceId, eventId }, cancellationToken);
        var cause = EventCause.Stored(row.CauseKind, row.CauseConnectorId, row.CauseInboundEventId, row.CauseApiKeyPrefix, row.CauseWebhookId);
        return new EventDetailDto(row.Id, row.Type, row.CreatedAt, row.Body, cause, deliveries);
    }
}
