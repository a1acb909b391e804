using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Webhooks.RotateWebhookSecret;

public sealed record RotateWebhookSecretCommand(Guid Id) : ICommand<WebhookWithSecretDto>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;
}
