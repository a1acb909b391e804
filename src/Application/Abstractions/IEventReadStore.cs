using Causeloop.Application.Events;
using Causeloop.Domain.Events;

namespace Causeloop.Application.Abstractions;

/// <summary>Events as their lineage shows them (SPEC §18).</summary>
public interface IEventReadStore
{
    /// <summary>The workspace's event with its cause and its deliveries; null when it is not the workspace's (or was deleted).</summary>
    Task<EventDetailDto?> GetAsync(Guid workspaceId, Guid eventId, CancellationToken cancellationToken);

    /// <summary>The event's cause alone; null when the event is not the workspace's or has none recorded.</summary>
    Task<EventCause?> CauseAsync(Guid workspaceId, Guid eventId, CancellationToken cancellationToken);
}
