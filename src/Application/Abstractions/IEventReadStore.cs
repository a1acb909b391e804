using Causeloop.Application.Events;

namespace Causeloop.Application.Abstractions;

/// <summary>Events as their lineage shows them (SPEC §18).</summary>
public interface IEventReadStore
{
    /// <summary>The workspace's event with its cause and its deliveries; null when it is not the workspace's (or was deleted).</summary>
    Task<EventDetailDto?> GetAsync(Guid workspaceId, Guid eventId, CancellationToken cancellationToken);
}
