namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>An attempt that has ended and waits to be recorded.</summary>
public sealed record FinishedAttempt(ClaimedDelivery Delivery, AttemptRecord Record);
