using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Connectors.DeleteConnector;

public sealed class DeleteConnectorCommandHandler(ICurrentCaller caller, IConnectorRepository connectors, TimeProvider time,
    IUnitOfWork unitOfWork, IInboundEndpoints inboundEndpoints)
    : ICommandHandler<DeleteConnectorCommand>
{
    public async ValueTask<Unit> Handle(DeleteConnectorCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        unitOfWork.AfterCommit(inboundEndpoints.Invalidate); // a change to connectors' verification takes effect at once
        return await connectors.DeleteAsync(caller.WorkspaceId, command.Id, time.UtcNow(), cancellationToken)
            ? Unit.Value
            : throw new NotFoundException("connector");
    }
}
