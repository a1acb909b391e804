using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// How this instance reaches endpoints and token endpoints, read once from <see cref="OutboundOptions"/>: whether private
/// addresses may be reached and the extra trusted roots (if any). Every outbound handler is
/// made from it (<see cref="GuardedConnector.CreateHandler"/>).
/// </summary>
public sealed class OutboundNetwork
{
    public OutboundNetwork(IOptions<OutboundOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        AllowPrivateNetworks = settings.AllowPrivateNetworks == true;
        ExtraRoots = settings.ExtraRoots();
    }

    public bool AllowPrivateNetworks { get; }

    /// <summary>Roots trusted besides the system's; null: the system's only.</summary>
    public X509Certificate2Collection? ExtraRoots { get; }
}
