using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Connectors.CreateConnector;

public sealed record CreateConnectorCommand(string? Name, string? Kind) : ICommand<ConnectorDto>, IRequireScope
{
    public static Scope RequiredScope => Scope.ConnectorsAdmin;
}
