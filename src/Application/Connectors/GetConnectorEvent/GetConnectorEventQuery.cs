using Causeloop.Application.Abstractions;
using Causeloop.Application.Inbound;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Connectors.GetConnectorEvent;

/// <summary>One event the connector ingested: its body, its source fields and the <c>issue.ingested</c> event it caused.</summary>
public sealed record GetConnectorEventQuery(Guid ConnectorId, Guid InboundEventId) : IQuery<InboundEventDetailDto>, IRequireScope
{
    public static Scope RequiredScope => Scope.ConnectorsRead;
}
