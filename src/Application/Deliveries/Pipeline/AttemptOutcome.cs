namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>An attempt and the state its delivery moves to.</summary>
public sealed record AttemptOutcome(FinishedAttempt Attempt, Domain.Deliveries.DeliveryDecision Decision);
