using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Inbound;
using Mediator;

namespace Causeloop.Application.Connectors.ListConnectorEvents;

public sealed class ListConnectorEventsQueryHandler(ICurrentCaller caller, IConnectorReadStore connectors, IInboundStore inbound)
    : IQueryHandler<ListConnectorEventsQuery, Page<InboundEventDto>>
{
    public async ValueTask<Page<InboundEventDto>> Handle(ListConnectorEventsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = PageRequest.Parse(query.Limit, query.Cursor);
        _ = await connectors.GetAsync(caller.WorkspaceId, query.ConnectorId, cancellationToken) ?? throw new NotFoundException("connector");
        var rows = await inbound.ListAsync(caller.WorkspaceId, query.ConnectorId, page, cancellationToken);
        return page.ToPage(rows, e => e.Id);
    }
}
