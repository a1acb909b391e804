using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Deliveries.ListDeliveries;

/// <summary>A webhook's deliveries, newest first; the portal also filters by event type and creation time.</summary>
public sealed record ListDeliveriesQuery(
    Guid WebhookId, string? Status, int? Limit, string? Cursor, string? EventType = null, DateTime? From = null, DateTime? To = null)
    : IQuery<Page<DeliveryDto>>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksRead;
}
