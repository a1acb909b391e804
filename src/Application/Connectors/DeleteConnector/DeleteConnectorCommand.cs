using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Connectors.DeleteConnector;

public sealed record DeleteConnectorCommand(Guid Id) : ICommand, IRequireScope
{
    public static Scope RequiredScope => Scope.ConnectorsAdmin;
}
