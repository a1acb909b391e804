using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Connectors.CreateConnector;

public sealed class CreateConnectorCommandHandler(ICurrentCaller caller, IConnectorRepository connectors, TimeProvider time)
    : ICommandHandler<CreateConnectorCommand, ConnectorDto>
{
    public async ValueTask<ConnectorDto> Handle(CreateConnectorCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var connector = new Connector(Ids.New(time), caller.WorkspaceId, command.Name!, command.Kind!, time.UtcNow());
        await connectors.InsertAsync(connector, cancellationToken);
        return ConnectorDto.From(connector);
    }
}
