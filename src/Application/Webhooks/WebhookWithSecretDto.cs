namespace Causeloop.Application.Webhooks;

/// <summary>The answer of create and rotate-secret: the only two that show the signing secret.</summary>
public sealed record WebhookWithSecretDto(WebhookDto Webhook, string SigningSecret);
