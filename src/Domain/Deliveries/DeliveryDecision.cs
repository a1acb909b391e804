namespace Causeloop.Domain.Deliveries;

/// <summary>The state a delivery moves to after an attempt, and whether its webhook must be disabled.</summary>
public sealed record DeliveryDecision(string Status, DateTimeOffset? NextAttemptAt, string? DisableWebhookReason);
