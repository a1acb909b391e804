namespace Causeloop.Application.Inbound;

/// <summary>
/// An accepted inbound request as stored: the raw bytes, and <see cref="Payload"/> when the parsed form differs from
/// them (a form-encoded Slack body, stored as a JSON object of its fields); the source's kind, event type and
/// delivery id (the provider's dedupe id, <see cref="EventId"/>); <see cref="CausedEventId"/>, the <c>issue.ingested</c> event
/// written with it (§18).
/// </summary>
public sealed record InboundEvent(
    Guid Id,
    Guid WorkspaceId,
    Guid ConnectorId,
    string? EventId,
    byte[] RawBody,
    string? ContentType,
    string? UserAgent,
    DateTime ReceivedAt,
    string Kind = Domain.Inbound.ConnectorKind.Custom,
    string? SourceEventType = null,
    byte[]? Payload = null,
    Guid? CausedEventId = null);
