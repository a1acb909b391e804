namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>A delivery the fan-out creates: one event to one webhook, pending.</summary>
public sealed record NewDelivery(Guid Id, Guid WorkspaceId, Guid WebhookId, Guid EventId);
