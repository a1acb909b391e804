using System.Text.Json;

namespace Causeloop.Application.Inbound;

public sealed record InboundEventDto(
    Guid Id,
    Guid ConnectorId,
    string? EventId,
    string? ContentType,
    string? UserAgent,
    JsonElement Payload,
    DateTime ReceivedAt);
