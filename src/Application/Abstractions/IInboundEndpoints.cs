using Causeloop.Application.Inbound;

namespace Causeloop.Application.Abstractions;

/// <summary>
/// Connectors' verification material (the enabled inbound webhook's secrets), cached briefly. A change made on
/// this instance takes effect at once (<see cref="Invalidate"/> after its commit); one made on another
/// instance within <c>Causeloop:Inbound:EndpointCacheTtl</c> (1 s).
/// </summary>
public interface IInboundEndpoints
{
    /// <summary>The live connector with its enabled inbound webhook's secrets (if any), found by id alone (the caller has no API key).</summary>
    ValueTask<InboundEndpoint?> FindAsync(Guid connectorId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether this instance has found the connector live before (invalidation and
    /// expiry ignored: this only decides whether a look-up is charged to the rejection budget; it authorises nothing).
    /// </summary>
    bool IsKnown(Guid connectorId);

    /// <summary>Forgets everything cached; called after a webhook or connector change commits.</summary>
    void Invalidate();
}
