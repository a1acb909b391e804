namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>A delivery the fan-out creates: one event to one webhook, pending, with the event's ordering key and place.</summary>
public sealed record NewDelivery(Guid Id, Guid WorkspaceId, Guid WebhookId, Guid EventId, string? OrderingKey = null, long? EventSeq = null);
