namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>A delivery this instance leased, by its id and lease token.</summary>
public readonly record struct HeldLease(Guid DeliveryId, Guid Token);
