using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Webhooks.CreateWebhook;

/// <summary>
/// Creates an outbound webhook (url + event types) or, with a connector id, that connector's inbound webhook, whose
/// secret is generated or, with <see cref="SigningSecret"/>, imported from the provider.
/// </summary>
public sealed record CreateWebhookCommand(
    string? Url,
    IReadOnlyList<string>? EventTypes,
    Guid? ConnectorId,
    string? Description,
    bool? Enabled,
    string? SigningSecret = null,
    System.Text.Json.JsonElement? Filter = null) : ICommand<WebhookWithSecretDto>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;
}
