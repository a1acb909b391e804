using Causeloop.Application.Common;
using Causeloop.Application.Inbound;

namespace Causeloop.Application.Abstractions;

public interface IInboundStore
{
    Task<IReadOnlyList<InboundEventDto>> ListAsync(Guid workspaceId, Guid connectorId, PageRequest page, CancellationToken cancellationToken);
}
