using Causeloop.Application.Common;
using Causeloop.Application.Inbound;

namespace Causeloop.Application.Abstractions;

public interface IInboundStore
{
    Task<IReadOnlyList<InboundEventDto>> ListAsync(Guid workspaceId, Guid connectorId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>One stored event of the connector with the event it caused; null when there is none.</summary>
    Task<InboundEventDetailDto?> GetAsync(Guid workspaceId, Guid connectorId, Guid inboundEventId, CancellationToken cancellationToken);

    /// <summary>The connector's rejection log, newest first (at most 100 rows are kept).</summary>
    Task<IReadOnlyList<InboundRejectionDto>> ListRejectionsAsync(Guid workspaceId, Guid connectorId, CancellationToken cancellationToken);
}
