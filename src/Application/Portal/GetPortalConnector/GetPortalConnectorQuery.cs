using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Portal.GetPortalConnector;

/// <summary>
/// One connector with its latest inbound events (body, source fields, the event each caused and its deliveries to
/// <see cref="WebhookIds"/> only, or to every webhook when null) and its rejection log.
/// </summary>
public sealed record GetPortalConnectorQuery(Guid ConnectorId, IReadOnlyList<Guid>? WebhookIds) : IQuery<PortalConnectorDetail>, IRequireScope
{
    public static Scope RequiredScope => Scope.ConnectorsRead;
}
