using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Portal.GetPortalConnector;

public sealed class GetPortalConnectorQueryHandler(ICurrentCaller caller, IPortalReadStore store, IInboundStore inbound)
    : IQueryHandler<GetPortalConnectorQuery, PortalConnectorDetail>
{
    public async ValueTask<PortalConnectorDetail> Handle(GetPortalConnectorQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connector = await store.GetConnectorAsync(caller.WorkspaceId, query.ConnectorId, query.WebhookIds?.ToArray(), cancellationToken)
            ?? throw new NotFoundException("connector");
        return connector with { Rejections = await inbound.ListRejectionsAsync(caller.WorkspaceId, query.ConnectorId, cancellationToken) };
    }
}
