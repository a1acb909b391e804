using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Deliveries.GetDelivery;

public sealed class GetDeliveryQueryHandler(ICurrentCaller caller, IDeliveryStore deliveries) : IQueryHandler<GetDeliveryQuery, DeliveryDetailDto>
{
    public async ValueTask<DeliveryDetailDto> Handle(GetDeliveryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var delivery = await deliveries.GetAsync(caller.WorkspaceId, query.WebhookId, query.DeliveryId, cancellationToken)
            ?? throw new NotFoundException("delivery");
        var attempts = await deliveries.ListAttemptsAsync(caller.WorkspaceId, delivery.Id, cancellationToken);
        return new DeliveryDetailDto(delivery, attempts, await deliveries.EventBodyAsync(caller.WorkspaceId, delivery.EventId, cancellationToken));
    }
}
