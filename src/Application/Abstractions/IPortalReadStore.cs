using Causeloop.Application.Portal;

namespace Causeloop.Application.Abstractions;

/// <summary>What the portal reads that the REST API does not.</summary>
public interface IPortalReadStore
{
    Task<IReadOnlyList<PortalWebhookSummary>> ListWebhooksAsync(Guid workspaceId, Guid[]? only, CancellationToken cancellationToken);

    /// <summary>The webhook's current encrypted secret, or null when it is not the workspace's.</summary>
    Task<byte[]?> SecretAsync(Guid workspaceId, Guid webhookId, CancellationToken cancellationToken);
}
