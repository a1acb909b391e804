using Causeloop.Application.Abstractions;
using Causeloop.Application.Events;
using Causeloop.Application.Inbound;
using Causeloop.Application.Portal;
using Causeloop.Domain.Deliveries;
using Causeloop.Domain.Webhooks;
using Causeloop.Infrastructure.Persistence;

namespace Causeloop.Infrastructure.Portal;

public sealed class PortalReadStore(DbSession session) : IPortalReadStore
{
    private sealed record ConnectorRow(Guid Id, string Name, string Kind);

    private sealed record EventRow(
        Guid ConnectorId, Guid Id, DateTime ReceivedAt, string? EventId, string? SourceEventType, string? ContentType, int SizeBytes, byte[] Head);

    private sealed record RejectionRow(
        Guid ConnectorId, DateTime ReceivedAt, string Reason, string? RemoteAddress, string? UserAgent, long? ContentLength, string? BodySha256);

    private sealed record InboundRow(
        Guid Id, DateTime ReceivedAt, string? EventId, string SourceKind, string? SourceEventType, string? ContentType, string? UserAgent,
        int SizeBytes, byte[] Body, Guid? CausedEventId, string? CausedEventType);

    private sealed record DeliveryRow(Guid EventId, Guid WebhookId, Guid DeliveryId, string Status, int Attempts, int? LastStatusCode);

    public Task<IReadOnlyList<PortalWebhookSummary>> ListWebhooksAsync(Guid workspaceId, Guid[]? only, CancellationToken cancellationToken)
    {
        // Each webhook's latest deliveries are an index range (deliveries_webhook: workspace_id, webhook_id, id desc), and
        // their attempts primary-key look-ups: a bounded read per webhook, however large the deliveries table is.
        const string sql = """
            select w.id, w.url, w.description, w.enabled, w.disabled_reason,
                   s.success_rate24h, s.last_attempt_at, s.last_status_code, s.last_error
            from webhooks w
            left join lateral (
                select avg(case when a.started_at > now() - interval '24 hours'
                                then case when a.status_code between @firstSuccess and @lastSuccess then 1.0 else 0.0 end end)::float8 as success_rate24h,
                       max(a.started_at) as last_attempt_at,
                       (array_agg(a.status_code order by a.started_at desc))[1] as last_status_code,
                       (array_agg(a.error order by a.started_at desc))[1] as last_error
                from (select d.id from deliveries d
                      where d.workspace_id = w.workspace_id and d.webhook_id = w.id
                      order by d.id desc limit @sample) recent
                join delivery_attempts a on a.delivery_id = recent.id
            ) s on true
            where w.workspace_id = @workspaceId and w.direction = @outbound and (@only::uuid[] is null or w.id = any(@only))
            order by w.id desc
            limit 200
            """;
        return session.ListAsync<PortalWebhookSummary>(sql, new
            {
                workspaceId, only, sample = PortalWebhookSummary.SampleDeliveries, outbound = WebhookDirection.Outbound,
                firstSuccess = AttemptResult.FirstSuccessStatus, lastSuccess = AttemptResult.LastSuccessStatus,
            }, cancellationToken);
    }

    public async Task<IReadOnlyList<PortalConnectorSummary>> ListConnectorsAsync(Guid workspaceId, Guid[]? only, CancellationToken cancellationToken)
    {
        const string connectorsSql = """
            select id, name, kind from connectors
            where workspace_id = @workspaceId and deleted_at is null and (@only::uuid[] is null or id = any(@only))
            order by id desc
            limit @max
            """;
        // Lookups keep each query's order (newest first). Sizes come from the stored length (no detoasting) and excerpts from a slice of the raw bytes: never a whole body.
        const string eventsSql = """
            select c.id as connector_id, e.id, e.received_at, e.event_id, e.source_event_type, e.content_type, e.size_bytes, e.head
            from unnest(@ids::uuid[]) as c (id)
            cross join lateral (
                select i.id, i.received_at, i.event_id, i.source_event_type, i.content_type,
                       octet_length(i.raw_body) as size_bytes, substring(i.raw_body from 1 for @excerpt) as head
                from inbound_events i
                where i.workspace_id = @workspaceId and i.connector_id = c.id
                order by i.id desc
                limit @latest
            ) e
            order by e.id desc
            """;
        const string rejectionsSql = """
            select c.id as connector_id, r.received_at, r.reason, r.remote_address, r.user_agent, r.content_length, r.body_sha256
            from unnest(@ids::uuid[]) as c (id)
            cross join lateral (
                select x.id, x.received_at, x.reason, x.remote_address, x.user_agent, x.content_length, x.body_sha256
                from inbound_rejections x
                where x.workspace_id = @workspaceId and x.connector_id = c.id
                order by x.received_at desc, x.id desc
                limit @latest
            ) r
            order by r.received_at desc, r.id desc
            """;
        var connectors = await session.ListAsync<ConnectorRow>(connectorsSql, new { workspaceId, only, max = PortalConnectorSummary.MaxConnectors }, cancellationToken);
        if (connectors.Count == 0)
        {
            return [];
        }

        var ids = connectors.Select(c => c.Id).ToArray();
        var events = (await session.ListAsync<EventRow>(
                eventsSql, new { workspaceId, ids, excerpt = PortalInboundEventSummary.ExcerptBytes, latest = PortalConnectorSummary.LatestEvents }, cancellationToken))
            .ToLookup(e => e.ConnectorId);
        var rejections = (await session.ListAsync<RejectionRow>(rejectionsSql, new { workspaceId, ids, latest = PortalConnectorSummary.LatestRejections }, cancellationToken))
            .ToLookup(r => r.ConnectorId);
        return [.. connectors.Select(c => new PortalConnectorSummary(
            c.Id, c.Name, c.Kind,
            [.. events[c.Id].Select(e => new PortalInboundEventSummary(
                e.Id, e.ReceivedAt, e.EventId, e.SourceEventType, e.ContentType, e.SizeBytes, PortalInboundEventSummary.ExcerptOf(e.Head, e.SizeBytes)))],
            [.. rejections[c.Id].Select(r => new InboundRejectionDto(
                r.ReceivedAt, r.Reason, r.RemoteAddress, r.UserAgent, r.ContentLength, r.BodySha256))]))];
    }

    public async Task<PortalConnectorDetail?> GetConnectorAsync(Guid workspaceId, Guid connectorId, Guid[]? webhookIds, CancellationToken cancellationToken)
    {
        const string connectorSql = "select id, name, kind from connectors where workspace_id = @workspaceId and id = @connectorId and deleted_at is null";
        // The latest events by the connector's index, each body cut to what the page shows; the caused event by its key.
        const string eventsSql = """
            select i.id, i.received_at, i.event_id, i.source_kind, i.source_event_type, i.content_type, i.user_agent,
                   octet_length(i.raw_body) as size_bytes, substring(i.raw_body from 1 for @maxBody) as body,
                   e.id as caused_event_id, e.type as caused_event_type
            from inbound_events i
            left join events e on e.id = i.caused_event_id and e.workspace_id = i.workspace_id
            where i.workspace_id = @workspaceId and i.connector_id = @connectorId
            order by i.id desc
            limit @latest
            """;
        // Each caused event's latest deliveries by deliveries_event, to the session's webhooks only.
        const string deliveriesSql = """
            select ev.id as event_id, d.webhook_id, d.delivery_id, d.status, d.attempts, d.last_status_code
            from unnest(@eventIds::uuid[]) as ev (id)
            cross join lateral (
                select x.webhook_id, x.id as delivery_id, x.status, x.attempt_count as attempts, x.last_status_code
                from deliveries x
                where x.workspace_id = @workspaceId and x.event_id = ev.id and (@only::uuid[] is null or x.webhook_id = any(@only))
                order by x.id desc
                limit @latestDeliveries
            ) d
            order by d.delivery_id
            """;
        var connector = await session.SingleOrDefaultAsync<ConnectorRow>(connectorSql, new { workspaceId, connectorId }, cancellationToken);
        if (connector is null)
        {
            return null;
        }

        var events = await session.ListAsync<InboundRow>(
            eventsSql, new { workspaceId, connectorId, maxBody = PortalConnectorDetail.MaxBodyBytes, latest = PortalConnectorDetail.LatestEvents }, cancellationToken);
        var eventIds = events.Where(e => e.CausedEventId is not null).Select(e => e.CausedEventId!.Value).ToArray();
        var deliveries = (await session.ListAsync<DeliveryRow>(
                deliveriesSql, new { workspaceId, eventIds, only = webhookIds, latestDeliveries = PortalConnectorDetail.LatestDeliveries }, cancellationToken))
            .ToLookup(d => d.EventId);
        return new PortalConnectorDetail(connector.Id, connector.Name, connector.Kind, [.. events.Select(e => new PortalInboundEvent(
            e.Id, e.ReceivedAt, e.EventId, e.SourceKind, e.SourceEventType, e.ContentType, e.UserAgent, e.SizeBytes, e.Body, e.CausedEventId, e.CausedEventType,
            [.. deliveries[e.CausedEventId ?? Guid.Empty].Select(d => new EventDeliveryDto(d.WebhookId, d.DeliveryId, d.Status, d.Attempts, d.LastStatusCode))]))], []);
    }

    public Task<byte[]?> SecretAsync(Guid workspaceId, Guid webhookId, CancellationToken cancellationToken) =>
        session.ScalarAsync<byte[]?>("select secret from webhooks where workspace_id = @workspaceId and id = @webhookId", new { workspaceId, webhookId }, cancellationToken);
}
