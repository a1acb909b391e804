using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Inbound;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Connectors.ListConnectorEvents;

public sealed record ListConnectorEventsQuery(Guid ConnectorId, int? Limit, string? Cursor) : IQuery<Page<InboundEventDto>>, IRequireScope
{
    public static Scope RequiredScope => Scope.ConnectorsRead;
}
