namespace Causeloop.Application.Inbound;

public sealed record InboundEvent(
    Guid Id,
    Guid WorkspaceId,
    Guid ConnectorId,
    string? EventId,
    byte[] RawBody,
    string? ContentType,
    string? UserAgent,
    DateTime ReceivedAt);
