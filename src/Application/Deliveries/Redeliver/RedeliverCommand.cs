using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Deliveries.Redeliver;

/// <summary>A fresh delivery of the same event to the same webhook.</summary>
public sealed record RedeliverCommand(Guid WebhookId, Guid DeliveryId) : ICommand<Guid>, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Manage;
}
