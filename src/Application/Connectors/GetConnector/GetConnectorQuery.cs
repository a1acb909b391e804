using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Connectors.GetConnector;

public sealed record GetConnectorQuery(Guid Id) : IQuery<ConnectorDto>, IRequireScope
{
    public static Scope RequiredScope => Scope.ConnectorsRead;
}
