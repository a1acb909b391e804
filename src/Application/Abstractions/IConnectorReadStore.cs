using Causeloop.Application.Common;
using Causeloop.Application.Connectors;

namespace Causeloop.Application.Abstractions;

public interface IConnectorReadStore
{
    Task<Connector?> GetAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Connector>> ListAsync(Guid workspaceId, PageRequest page, CancellationToken cancellationToken);
}
