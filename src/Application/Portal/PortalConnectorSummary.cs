using Causeloop.Application.Inbound;

namespace Causeloop.Application.Portal;

/// <summary>
/// A connector as the portal's connectors page shows it: its latest <see cref="LatestEvents"/> events (summaries) and
/// its latest <see cref="LatestRejections"/> rejected requests.
/// </summary>
public sealed record PortalConnectorSummary(
    Guid Id, string Name, string Kind, IReadOnlyList<PortalInboundEventSummary> Events, IReadOnlyList<InboundRejectionDto> Rejections)
{
    public const int MaxConnectors = 100;
    public const int LatestEvents = 10;
    public const int LatestRejections = 20;
}
