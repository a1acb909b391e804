using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Portal.CreatePortalSession;

/// <summary>
/// Opens a portal session for the whole workspace (both lists left out), or only for the listed webhooks and connectors:
/// when one list is given, the other one left out means none.
/// </summary>
public sealed record CreatePortalSessionCommand(
    IReadOnlyList<Guid>? WebhookIds, IReadOnlyList<Guid>? ConnectorIds, IReadOnlyList<string>? Capabilities, int? ExpiresIn)
    : ICommand<PortalSessionCreated>, IRequireScope
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;
}
