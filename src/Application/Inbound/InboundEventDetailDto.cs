namespace Causeloop.Application.Inbound;

/// <summary>
/// A stored inbound event with the <c>issue.ingested</c> event it caused (<see cref="CausedEventId"/>; null when that event
/// is no longer kept, or for an event stored before lineage was recorded).
/// </summary>
public sealed record InboundEventDetailDto(InboundEventDto Event, Guid? CausedEventId);
