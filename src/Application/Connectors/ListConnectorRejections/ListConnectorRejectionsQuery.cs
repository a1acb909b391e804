using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Inbound;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Connectors.ListConnectorRejections;

/// <summary>The connector's latest rejected inbound requests, newest first (at most 100 kept).</summary>
public sealed record ListConnectorRejectionsQuery(Guid ConnectorId) : IQuery<Page<InboundRejectionDto>>, IRequireScope
{
    public static Scope RequiredScope => Scope.ConnectorsRead;
}

public sealed class ListConnectorRejectionsQueryHandler(ICurrentCaller caller, IConnectorReadStore connectors, IInboundStore inbound)
    : IQueryHandler<ListConnectorRejectionsQuery, Page<InboundRejectionDto>>
{
    public async ValueTask<Page<InboundRejectionDto>> Handle(ListConnectorRejectionsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        _ = await connectors.GetAsync(caller.WorkspaceId, query.ConnectorId, cancellationToken) ?? throw new NotFoundException("connector");
        return new Page<InboundRejectionDto>(await inbound.ListRejectionsAsync(caller.WorkspaceId, query.ConnectorId, cancellationToken), null);
    }
}
