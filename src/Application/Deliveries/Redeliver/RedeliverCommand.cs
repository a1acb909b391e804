using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Deliveries.Redeliver;

/// <summary>A fresh delivery of the same event to the same webhook.</summary>
public sealed record RedeliverCommand(Guid WebhookId, Guid DeliveryId) : ICommand<Guid>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;
}
