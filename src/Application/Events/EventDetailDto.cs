using Causeloop.Domain.Events;

namespace Causeloop.Application.Events;

/// <summary>
/// An event with its lineage (SPEC §18): the envelope every delivery sends (<see cref="Body"/>), where it came from
/// (<see cref="Cause"/>; null for an event written before causes were recorded) and its deliveries, oldest first.
/// </summary>
public sealed record EventDetailDto(Guid Id, string Type, DateTime CreatedAt, byte[] Body, EventCause? Cause, IReadOnlyList<EventDeliveryDto> Deliveries);
