using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Portal.CreatePortalSession;

public sealed class CreatePortalSessionCommandHandler(ICurrentCaller caller, IPortalSessions sessions, IPortalUrls urls, TimeProvider time)
    : ICommandHandler<CreatePortalSessionCommand, PortalSessionCreated>
{
    public async ValueTask<PortalSessionCreated> Handle(CreatePortalSessionCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        // §12: the whole workspace only when both lists are left out; once one is given, the other left out means none.
        var wholeWorkspace = command.WebhookIds is null && command.ConnectorIds is null;
        Guid[]? webhookIds = wholeWorkspace ? null : [.. (command.WebhookIds ?? []).Distinct()];
        Guid[]? connectorIds = wholeWorkspace ? null : [.. (command.ConnectorIds ?? []).Distinct()];
        if (connectorIds is { Length: > 0 } && !caller.Scopes.Permits(Scope.ConnectorsRead))
        {
            // A session never grants more than the key that opens it: a key that cannot read connectors cannot share one.
            throw new MissingScopeException(Scope.ConnectorsRead);
        }

        var owned = await sessions.CountOwnedAsync(caller.WorkspaceId, webhookIds ?? [], connectorIds ?? [], cancellationToken);
        if (owned != (webhookIds?.Length ?? 0) + (connectorIds?.Length ?? 0))
        {
            throw new NotFoundException("outbound webhook or connector");
        }

        var now = time.UtcNow();
        var token = PortalSecret.New();
        var session = new PortalSession(
            Ids.New(time), caller.WorkspaceId, PortalSecret.Hash(token), null, webhookIds, connectorIds,
            [.. PortalCapability.Normalise(command.Capabilities)!], [.. caller.Scopes.Scopes.Select(s => s.Value)], now,
            now + (command.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : PortalCapability.DefaultLifetime), null, null);
        await sessions.InsertAsync(session, cancellationToken);
        return new PortalSessionCreated(session.Id, urls.Link(token), session.ExpiresAt);
    }
}
