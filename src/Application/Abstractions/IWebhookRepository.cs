using Causeloop.Application.Webhooks;

namespace Causeloop.Application.Abstractions;

/// <summary>Writes webhook records; every call is bound to a workspace.</summary>
public interface IWebhookRepository
{
    /// <summary>Inserts; false when the connector already has an inbound webhook.</summary>
    Task<bool> InsertAsync(Webhook webhook, CancellationToken cancellationToken);

    /// <summary>Reads and locks the row for the rest of the transaction.</summary>
    Task<Webhook?> GetForUpdateAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken);

    Task UpdateAsync(Webhook webhook, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken);
}
