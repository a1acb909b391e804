using Causeloop.Application.Common;
using Causeloop.Application.Inbound;

namespace Causeloop.Application.Abstractions;

public interface IInboundStore
{
    /// <summary>
    /// The connector's enabled inbound webhook, found by connector id alone: the inbound caller has no
    /// API key, so the connector is what names the workspace.
    /// </summary>
    Task<InboundEndpoint?> FindEndpointAsync(Guid connectorId, CancellationToken cancellationToken);

    /// <summary>Stores the event (raw bytes and the same bytes as jsonb); false when its event id was already accepted.</summary>
    Task<bool> TryInsertAsync(InboundEvent inboundEvent, CancellationToken cancellationToken);

    Task<Guid?> FindByEventIdAsync(Guid workspaceId, Guid connectorId, string eventId, CancellationToken cancellationToken);

    Task<IReadOnlyList<InboundEventDto>> ListAsync(Guid workspaceId, Guid connectorId, PageRequest page, CancellationToken cancellationToken);
}
