using Causeloop.Application.Abstractions;
using Causeloop.Application.Events.PublishEvent;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Webhooks.TestWebhook;

/// <summary>Sends a <c>webhook.test</c> event to this webhook alone.</summary>
public sealed record TestWebhookCommand(Guid Id) : ICommand<PublishedEvent>, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Manage;
}
