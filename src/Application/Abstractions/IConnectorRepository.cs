using Causeloop.Application.Connectors;

namespace Causeloop.Application.Abstractions;

public interface IConnectorRepository
{
    Task InsertAsync(Connector connector, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken);

    /// <summary>The live connector's kind, or null when there is no such connector in the workspace.</summary>
    Task<string?> KindAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken);

    /// <summary>Marks the connector deleted and deletes its inbound webhook; its ingested events are kept.</summary>
    Task<bool> DeleteAsync(Guid workspaceId, Guid id, DateTime now, CancellationToken cancellationToken);
}
