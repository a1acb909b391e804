using Causeloop.Domain.Webhooks;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>
/// An event taken off the outbox for fan-out: what the subscription rule looks at (<see cref="Event"/>), its ordering key
/// and its place in the order events were accepted (copied to its deliveries), and its envelope (what payload filters
/// look at).
/// </summary>
public sealed record OutboxItem(OutgoingEvent Event, string? OrderingKey, long? Seq, byte[] Body);
