using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// How this instance reaches endpoints and token endpoints, read once from <see cref="OutboundOptions"/>: whether private
/// addresses may be reached, the egress proxy (if any) and the extra trusted roots (if any). Every outbound handler is
/// made from it (<see cref="GuardedConnector.CreateHandler"/>).
/// </summary>
public sealed class OutboundNetwork
{
    public OutboundNetwork(IOptions<OutboundOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        AllowPrivateNetworks = settings.AllowPrivateNetworks == true;
        Proxy = settings.ProxyUri() is { } proxy ? new DnsEndPoint(proxy.IdnHost, proxy.Port) : null;
        ExtraRoots = settings.ExtraRoots();
    }

    public bool AllowPrivateNetworks { get; }

    /// <summary>The HTTP CONNECT proxy every connection goes through; null: connect directly.</summary>
    public DnsEndPoint? Proxy { get; }

    /// <summary>Roots trusted besides the system's; null: the system's only.</summary>
    public X509Certificate2Collection? ExtraRoots { get; }
}
