using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Webhooks.ListWebhooks;

public sealed class ListWebhooksQueryHandler(ICurrentCaller caller, IWebhookReadStore store, IInboundUrls inboundUrls)
    : IQueryHandler<ListWebhooksQuery, Page<WebhookDto>>
{
    public async ValueTask<Page<WebhookDto>> Handle(ListWebhooksQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = PageRequest.Parse(query.Limit, query.Cursor);
        var rows = await store.ListAsync(caller.WorkspaceId, query.Direction, query.Enabled, page, cancellationToken);
        return page.ToPage(rows.Select(w => WebhookDto.From(w, inboundUrls)).ToArray(), w => w.Id);
    }
}
