using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Connectors.ListConnectors;

public sealed class ListConnectorsQueryHandler(ICurrentCaller caller, IConnectorReadStore store) : IQueryHandler<ListConnectorsQuery, Page<ConnectorDto>>
{
    public async ValueTask<Page<ConnectorDto>> Handle(ListConnectorsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = PageRequest.Parse(query.Limit, query.Cursor);
        var rows = await store.ListAsync(caller.WorkspaceId, page, cancellationToken);
        return page.ToPage(rows.Select(ConnectorDto.From).ToArray(), c => c.Id);
    }
}
