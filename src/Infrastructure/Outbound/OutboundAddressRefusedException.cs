namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// The endpoint's host resolves only to addresses deliveries may not reach (loopback, private, link-local…). The
/// message is what the tenant reads in the attempt's error, so it names neither the host's addresses nor any
/// other detail of the internal network.
/// </summary>
public sealed class OutboundAddressRefusedException() : Exception(PublicMessage)
{
    public const string PublicMessage = "refused: the address is not public";
}
