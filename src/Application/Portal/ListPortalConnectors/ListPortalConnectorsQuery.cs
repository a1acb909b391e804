using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;
using Mediator;

namespace Causeloop.Application.Portal.ListPortalConnectors;

/// <summary>
/// The workspace's connectors (or only <see cref="Only"/>; none when it is empty), each with its latest event summaries
/// and rejections: bounded reads, whatever the history holds.
/// </summary>
public sealed record ListPortalConnectorsQuery(IReadOnlyList<Guid>? Only) : IQuery<IReadOnlyList<PortalConnectorSummary>>, IRequireScope
{
    public static Scope RequiredScope => Scope.ConnectorsRead;
}
