namespace Causeloop.Application.Events.PublishEvent;

/// <summary>The event's id; <see cref="Duplicate"/> when an earlier event had the same idempotency key.</summary>
public sealed record PublishedEvent(Guid Id, bool Duplicate);
