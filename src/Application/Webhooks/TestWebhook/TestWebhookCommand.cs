using Causeloop.Application.Abstractions;
using Causeloop.Application.Events.PublishEvent;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Webhooks.TestWebhook;

/// <summary>
/// Sends a <c>webhook.test</c> event to this webhook alone or, with <see cref="EventType"/>, an example event of that type
/// (its <c>data</c> the catalog's example): the portal's <c>Send test event</c> and <c>Send example event</c>.
/// </summary>
public sealed record TestWebhookCommand(Guid Id, string? EventType = null) : ICommand<PublishedEvent>, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Manage;
}
