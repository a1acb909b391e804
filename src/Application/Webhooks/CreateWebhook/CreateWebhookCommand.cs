using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Causeloop.Domain.Webhooks;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Webhooks.CreateWebhook;

/// <summary>
/// Creates an outbound webhook (url + event types) or, with a connector id, that connector's inbound webhook, whose
/// secret is generated or, with <see cref="SigningSecret"/>, imported from the provider. An outbound webhook may carry
/// static <see cref="Headers"/> and <see cref="Auth"/> (SPEC §17). The portal's <c>Add endpoint</c>
/// sends it too (capability <c>manage</c>): a session limited to some webhooks then covers the new one.
/// </summary>
public sealed record CreateWebhookCommand(
    string? Url,
    IReadOnlyList<string>? EventTypes,
    Guid? ConnectorId,
    string? Description,
    bool? Enabled,
    string? SigningSecret = null,
    System.Text.Json.JsonElement? Filter = null,
    IReadOnlyDictionary<string, string?>? Headers = null,
    EndpointAuth? Auth = null,
    long? RateLimit = null) : ICommand<WebhookWithSecretDto>, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Manage;
}
