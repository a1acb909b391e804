using Causeloop.Application.Events;

namespace Causeloop.Application.Portal;

/// <summary>
/// An inbound event as its connector's page shows it: its source fields, the body received (its first
/// <see cref="PortalConnectorDetail.MaxBodyBytes"/> bytes) and the event it caused with that event's deliveries (to the
/// session's webhooks, the latest <see cref="PortalConnectorDetail.LatestDeliveries"/>).
/// </summary>
public sealed record PortalInboundEvent(
    Guid Id,
    DateTime ReceivedAt,
    string? EventId,
    string SourceKind,
    string? SourceEventType,
    string? ContentType,
    string? UserAgent,
    int SizeBytes,
    byte[] Body,
    Guid? CausedEventId,
    string? CausedEventType,
    IReadOnlyList<EventDeliveryDto> Deliveries)
{
    /// <summary>Whether <see cref="Body"/> is only the start of what was received.</summary>
    public bool Truncated => SizeBytes > Body.Length;
}
