using Causeloop.Application.Abstractions;
using Mediator;

namespace Causeloop.Application.Portal.ListPortalConnectors;

public sealed class ListPortalConnectorsQueryHandler(ICurrentCaller caller, IPortalReadStore store)
    : IQueryHandler<ListPortalConnectorsQuery, IReadOnlyList<PortalConnectorSummary>>
{
    public async ValueTask<IReadOnlyList<PortalConnectorSummary>> Handle(ListPortalConnectorsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Only is { Count: 0 } ? [] : await store.ListConnectorsAsync(caller.WorkspaceId, query.Only?.ToArray(), cancellationToken);
    }
}
