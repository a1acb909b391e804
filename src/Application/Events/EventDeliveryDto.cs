namespace Causeloop.Application.Events;

/// <summary>One delivery of an event, as its lineage lists it: to which webhook, where it stands, how many attempts, the last answer.</summary>
public sealed record EventDeliveryDto(Guid WebhookId, Guid DeliveryId, string Status, int Attempts, int? LastStatusCode);
