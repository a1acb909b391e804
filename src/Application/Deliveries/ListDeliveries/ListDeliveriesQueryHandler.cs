using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Deliveries.ListDeliveries;

public sealed class ListDeliveriesQueryHandler(ICurrentCaller caller, IWebhookReadStore webhooks, IDeliveryStore deliveries)
    : IQueryHandler<ListDeliveriesQuery, Page<DeliveryDto>>
{
    public async ValueTask<Page<DeliveryDto>> Handle(ListDeliveriesQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = PageRequest.Parse(query.Limit, query.Cursor);
        _ = await webhooks.GetAsync(caller.WorkspaceId, query.WebhookId, cancellationToken) ?? throw new NotFoundException("webhook");
        var rows = await deliveries.ListAsync(caller.WorkspaceId, query.WebhookId, query.Status, page, cancellationToken, query.EventType, query.From, query.To);
        return page.ToPage(rows, d => d.Id);
    }
}
