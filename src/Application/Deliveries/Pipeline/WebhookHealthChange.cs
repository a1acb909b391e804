using Causeloop.Domain.Deliveries;

namespace Causeloop.Application.Deliveries.Pipeline;

/// <summary>A webhook's health after the batch; <see cref="DisabledReason"/> when the batch disabled it.</summary>
public sealed record WebhookHealthChange(Guid WebhookId, Guid WorkspaceId, WebhookHealth Health, string? DisabledReason);
