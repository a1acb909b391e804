namespace Causeloop.Domain.Deliveries;

/// <summary>
/// What one recorded attempt came to (<see cref="WebhookHealth.AfterAttempt"/>): the webhook's health after it, the
/// delivery's next state, the operational events it calls for, and the reason when it disabled the webhook.
/// </summary>
public sealed record HealthStep(WebhookHealth Health, DeliveryDecision Decision, IReadOnlyList<EndpointAlert> Alerts, string? DisabledReason);
