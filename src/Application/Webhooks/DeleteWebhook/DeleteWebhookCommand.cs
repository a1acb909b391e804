using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Webhooks.DeleteWebhook;

public sealed record DeleteWebhookCommand(Guid Id) : ICommand, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;
}
