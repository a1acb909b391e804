using System.Text.Json;
using Causeloop.Application.Inbound;

namespace Causeloop.Api.Contracts;

/// <summary>
/// One inbound event as stored: the fields of the connector's event list (<c>event_id</c> stays the sender's dedupe id) and
/// <c>caused_event_id</c>, the <c>issue.ingested</c> event it caused (null once that event is no longer kept).
/// </summary>
public sealed record InboundEventDetailResponse(
    Guid Id,
    Guid ConnectorId,
    string? EventId,
    string? ContentType,
    string? UserAgent,
    JsonElement Payload,
    DateTime ReceivedAt,
    InboundSource Source,
    Guid? CausedEventId)
{
    public static InboundEventDetailResponse From(InboundEventDetailDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var e = dto.Event;
        return new(e.Id, e.ConnectorId, e.EventId, e.ContentType, e.UserAgent, e.Payload, e.ReceivedAt, e.Source, dto.CausedEventId);
    }
}
