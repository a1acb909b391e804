using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Connectors.GetConnector;

public sealed class GetConnectorQueryHandler(ICurrentCaller caller, IConnectorReadStore store) : IQueryHandler<GetConnectorQuery, ConnectorDto>
{
    public async ValueTask<ConnectorDto> Handle(GetConnectorQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connector = await store.GetAsync(caller.WorkspaceId, query.Id, cancellationToken) ?? throw new NotFoundException("connector");
        return ConnectorDto.From(connector);
    }
}
