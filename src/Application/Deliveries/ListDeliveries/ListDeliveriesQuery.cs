using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Deliveries.ListDeliveries;

public sealed record ListDeliveriesQuery(Guid WebhookId, string? Status, int? Limit, string? Cursor) : IQuery<Page<DeliveryDto>>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}
