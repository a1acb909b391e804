using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Webhooks.RotateWebhookSecret;

/// <summary>Rotates to a new generated secret or, for an inbound webhook, to <see cref="SigningSecret"/> imported from the provider.</summary>
public sealed record RotateWebhookSecretCommand(Guid Id, string? SigningSecret = null)
    : ICommand<WebhookWithSecretDto>, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Secrets;
}
