using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Mediator;

namespace Causeloop.Application.Portal.RevokePortalSession;

public sealed class RevokePortalSessionCommandHandler(ICurrentCaller caller, IPortalSessions sessions, TimeProvider time)
    : ICommandHandler<RevokePortalSessionCommand>
{
    public async ValueTask<Unit> Handle(RevokePortalSessionCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!await sessions.RevokeAsync(caller.WorkspaceId, command.Id, time.UtcNow(), cancellationToken))
        {
            throw new NotFoundException("portal session");
        }

        return Unit.Value;
    }
}
