using Causeloop.Application.Portal;

namespace Causeloop.Application.Abstractions;

/// <summary>What the portal reads that the REST API does not.</summary>
public interface IPortalReadStore
{
    /// <summary>Outbound webhooks with their success rate and last attempt, from each one's latest <see cref="PortalWebhookSummary.SampleDeliveries"/> deliveries.</summary>
    Task<IReadOnlyList<PortalWebhookSummary>> ListWebhooksAsync(Guid workspaceId, Guid[]? only, CancellationToken cancellationToken);

    /// <summary>Connectors (all of the workspace's when <paramref name="only"/> is null), each with its latest event summaries and rejections.</summary>
    Task<IReadOnlyList<PortalConnectorSummary>> ListConnectorsAsync(Guid workspaceId, Guid[]? only, CancellationToken cancellationToken);

    /// <summary>
    /// One connector with its latest inbound events, each with the event it caused and that event's deliveries (to
    /// <paramref name="webhookIds"/> only, unless null); null when it is not the workspace's. Rejections are left empty.
    /// </summary>
    Task<PortalConnectorDetail?> GetConnectorAsync(Guid workspaceId, Guid connectorId, Guid[]? webhookIds, CancellationToken cancellationToken);

    /// <summary>The webhook's current encrypted secret, or null when it is not the workspace's.</summary>
    Task<byte[]?> SecretAsync(Guid workspaceId, Guid webhookId, CancellationToken cancellationToken);
}
