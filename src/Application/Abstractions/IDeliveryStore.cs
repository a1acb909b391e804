using Causeloop.Application.Common;
using Causeloop.Application.Deliveries;

namespace Causeloop.Application.Abstractions;

/// <summary>The delivery log as the API sees it.</summary>
public interface IDeliveryStore
{
    Task CancelUnfinishedAsync(Guid workspaceId, Guid webhookId, DateTime now, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryDto>> ListAsync(
        Guid workspaceId, Guid webhookId, string? status, PageRequest page, CancellationToken cancellationToken,
        string? eventType = null, DateTime? createdFrom = null, DateTime? createdBefore = null);

    /// <summary>The exact bytes the event's deliveries send.</summary>
    Task<byte[]?> EventBodyAsync(Guid workspaceId, Guid eventId, CancellationToken cancellationToken);

    Task<DeliveryDto?> GetAsync(Guid workspaceId, Guid webhookId, Guid deliveryId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryAttemptDto>> ListAttemptsAsync(Guid workspaceId, Guid deliveryId, CancellationToken cancellationToken);

    /// <summary>Inserts a fresh pending delivery of the event to the webhook.</summary>
    Task InsertAsync(Guid workspaceId, Guid deliveryId, Guid webhookId, Guid eventId, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// A fresh pending delivery to the webhook of each event created in [since, until) whose delivery to it ended dead
    /// and that has none pending, in flight, failed or succeeded; returns how many.
    /// </summary>
    Task<int> RecoverAsync(Guid workspaceId, Guid webhookId, DateTime since, DateTime until, DateTime now, CancellationToken cancellationToken);
}
