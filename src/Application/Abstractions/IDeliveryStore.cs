using Causeloop.Application.Common;
using Causeloop.Application.Deliveries;
using Causeloop.Application.Deliveries.Recover;

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
    /// A fresh pending delivery to the webhook of each event of the window whose delivery to it ended dead and that has
    /// none pending, in flight, failed or succeeded; returns how many.
    /// </summary>
    Task<int> RecoverAsync(Guid workspaceId, Guid webhookId, RecoverWindow window, DateTime now, CancellationToken cancellationToken);

    /// <summary>What <see cref="RecoverAsync"/> would create, creating nothing: how many, and the first <paramref name="sampleSize"/> events.</summary>
    Task<RecoverResult> PreviewRecoverAsync(Guid workspaceId, Guid webhookId, RecoverWindow window, int sampleSize, CancellationToken cancellationToken);
}
