using Causeloop.Application.Inbound;

namespace Causeloop.Application.Portal;

/// <summary>One connector's portal page: its latest <see cref="LatestEvents"/> inbound events in full, and its rejection log.</summary>
public sealed record PortalConnectorDetail(
    Guid Id, string Name, string Kind, IReadOnlyList<PortalInboundEvent> Events, IReadOnlyList<InboundRejectionDto> Rejections)
{
    public const int LatestEvents = 10;

    /// <summary>How much of each body the page shows (a body may be up to the inbound limit, 1 MiB by default).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public const int LatestDeliveries = 20;
}
