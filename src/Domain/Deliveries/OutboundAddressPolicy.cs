using System.Net;
using System.Net.Sockets;

namespace Causeloop.Domain.Deliveries;

/// <summary>
/// Which addresses an outbound delivery may connect to (SSRF guard, SPEC §6): never loopback, private
/// (RFC 1918), link-local, CGNAT, unique-local, multicast, unspecified, or the IPv4-mapped forms of those;
/// nor NAT64 local-use (64:ff9b:1::/48) or Teredo (2001::/32), whose real destination is not what it seems.
/// </summary>
public static class OutboundAddressPolicy
{
    public static bool IsForbidden(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsForbiddenV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsForbiddenV6(address),
            _ => true,
        };
    }

    private static bool IsForbiddenV4(byte[] b) =>
        b[0] == 0 // 0.0.0.0/8 "this network", unspecified
        || b[0] == 10 // 10/8
        || b[0] == 127 // loopback
        || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // 100.64/10 CGNAT
        || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
        || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) // 172.16/12
        || (b[0] == 192 && b[1] == 168) // 192.168/16
        || (b[0] == 192 && b[1] == 0 && b[2] == 0) // 192.0.0/24 IETF protocol assignments
        || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // 198.18/15 benchmarking
        || b[0] >= 224; // multicast 224/4 and reserved 240/4, broadcast

    private static bool IsForbiddenV6(IPAddress address)
    {
        if (IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6Any.Equals(address)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
        {
            return true;
        }

        var b = address.GetAddressBytes();
        if ((b[0] & 0xFE) == 0xFC)
        {
            return true; // fc00::/7 unique-local
        }

        // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address.
        if (b.Take(12).All(x => x == 0))
        {
            return IsForbiddenV4(b[12..]);
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].All(x => x == 0))
        {
            return IsForbiddenV4(b[12..]);
        }

        // NAT64 local-use (64:ff9b:1::/48, RFC 8215) translates to whatever the local network decides.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01)
        {
            return true;
        }

        // Teredo (2001::/32) tunnels to an address hidden in the rest; refuse it rather than decode it.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            return true;
        }

        return b[0] == 0x20 && b[1] == 0x02 && IsForbiddenV4(b[2..6]);
    }
}
