using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Deliveries.GetDelivery;

public sealed record GetDeliveryQuery(Guid WebhookId, Guid DeliveryId) : IQuery<DeliveryDetailDto>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}
