using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Webhooks.DeleteWebhook;

/// <summary>Deletes a webhook (the REST API, and the portal's <c>Delete</c> after its confirmation, capability <c>manage</c>).</summary>
public sealed record DeleteWebhookCommand(Guid Id) : ICommand, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Manage;
}
