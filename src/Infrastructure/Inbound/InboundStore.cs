using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Inbound;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Inbound;

public sealed class InboundStore(DbSession session) : IInboundStore
{
    private sealed record EventRow(
        Guid Id, Guid ConnectorId, string? EventId, string? ContentType, string? UserAgent, string Payload, DateTime ReceivedAt, string SourceKind, string? SourceEventType);

    private sealed record DetailRow(
        Guid Id, Guid ConnectorId, string? EventId, string? ContentType, string? UserAgent, string Payload, DateTime ReceivedAt, string SourceKind, string? SourceEventType,
        Guid? CausedEventId);

    public async Task<InboundEventDetailDto?> GetAsync(Guid workspaceId, Guid connectorId, Guid inboundEventId, CancellationToken cancellationToken)
    {
        // The caused event is answered only while it is kept (retention may have deleted it).
        const string sql = """
            select i.id, i.connector_id, i.event_id, i.content_type, i.user_agent, coalesce(i.payload::text, convert_from(i.raw_body, 'UTF8')) as payload,
                   i.received_at, i.source_kind, i.source_event_type, e.id as caused_event_id
            from inbound_events i
            left join events e on e.id = i.caused_event_id and e.workspace_id = i.workspace_id
            where i.workspace_id = @workspaceId and i.connector_id = @connectorId and i.id = @inboundEventId
            """;
        var r = await session.SingleOrDefaultAsync<DetailRow>(sql, new { workspaceId, connectorId, inboundEventId }, cancellationToken);
        return r is null
            ? null
            : new InboundEventDetailDto(
                new InboundEventDto(r.Id, r.ConnectorId, r.EventId, r.ContentType, r.UserAgent, JsonDocument.Parse(r.Payload).RootElement.Clone(), r.ReceivedAt,
                    new InboundSource(r.SourceKind, r.SourceEventType, r.EventId)),
                r.CausedEventId);
    }

    public async Task<IReadOnlyList<InboundEventDto>> ListAsync(Guid workspaceId, Guid connectorId, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        const string sql = """
            select id, connector_id, event_id, content_type, user_agent, coalesce(payload::text, convert_from(raw_body, 'UTF8')) as payload, received_at, source_kind, source_event_type
            from inbound_events
            where workspace_id = @workspaceId and connector_id = @connectorId and (@after::uuid is null or id < @after)
            order by id desc
            limit @take
            """;
        var rows = await session.ListAsync<EventRow>(sql, new { workspaceId, connectorId, after = page.After, take = page.Limit + 1 }, cancellationToken);
        return rows.Select(r => new InboundEventDto(
            r.Id, r.ConnectorId, r.EventId, r.ContentType, r.UserAgent, JsonDocument.Parse(r.Payload).RootElement.Clone(), r.ReceivedAt,
            new InboundSource(r.SourceKind, r.SourceEventType, r.EventId))).ToArray();
    }

    public async Task<IReadOnlyList<InboundRejectionDto>> ListRejectionsAsync(Guid workspaceId, Guid connectorId, CancellationToken cancellationToken)
    {
        const string sql = """
            select received_at, reason, remote_address, user_agent, content_length, body_sha256
            from inbound_rejections
            where workspace_id = @workspaceId and connector_id = @connectorId
            order by received_at desc, id desc
            limit @max
            """;
        return await session.ListAsync<InboundRejectionDto>(sql, new { workspaceId, connectorId, max = RejectionLogWriter.KeptPerConnector }, cancellationToken);
    }
}
