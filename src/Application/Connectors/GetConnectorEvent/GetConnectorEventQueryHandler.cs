using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Inbound;
using Mediator;

namespace Causeloop.Application.Connectors.GetConnectorEvent;

public sealed class GetConnectorEventQueryHandler(ICurrentCaller caller, IConnectorReadStore connectors, IInboundStore inbound)
    : IQueryHandler<GetConnectorEventQuery, InboundEventDetailDto>
{
    public async ValueTask<InboundEventDetailDto> Handle(GetConnectorEventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        _ = await connectors.GetAsync(caller.WorkspaceId, query.ConnectorId, cancellationToken) ?? throw new NotFoundException("connector");
        return await inbound.GetAsync(caller.WorkspaceId, query.ConnectorId, query.InboundEventId, cancellationToken)
            ?? throw new NotFoundException("inbound event");
    }
}
