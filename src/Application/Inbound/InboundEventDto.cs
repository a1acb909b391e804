using System.Text.Json;

namespace Causeloop.Application.Inbound;

/// <summary>Where an inbound event came from: the connector's kind, the provider's event type and delivery id (null where the kind has none).</summary>
public sealed record InboundSource(string Kind, string? EventType, string? DeliveryId);

public sealed record InboundEventDto(
    Guid Id,
    Guid ConnectorId,
    string? EventId,
    string? ContentType,
    string? UserAgent,
    JsonElement Payload,
    DateTime ReceivedAt,
    InboundSource Source);
