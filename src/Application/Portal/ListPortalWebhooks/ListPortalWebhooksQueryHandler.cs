using Causeloop.Application.Abstractions;
using Mediator;

namespace Causeloop.Application.Portal.ListPortalWebhooks;

public sealed class ListPortalWebhooksQueryHandler(ICurrentCaller caller, IPortalReadStore store)
    : IQueryHandler<ListPortalWebhooksQuery, IReadOnlyList<PortalWebhookSummary>>
{
    public async ValueTask<IReadOnlyList<PortalWebhookSummary>> Handle(ListPortalWebhooksQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await store.ListWebhooksAsync(caller.WorkspaceId, query.Only?.ToArray(), cancellationToken);
    }
}
