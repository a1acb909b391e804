using System.Net;
using System.Net.Sockets;

namespace Causeloop.Domain.Inbound;

/// <summary>
/// The source that per-address inbound limits count: an IPv4 address (an IPv4-mapped IPv6 address is that IPv4
/// address), or the /64 an IPv6 address is in. A /64 is the smallest block a host is given, so a host cannot
/// multiply its budget by cycling through its own 2^64 addresses.
/// </summary>
public static class SourceNetwork
{
    /// <summary>The key of <paramref name="address"/>'s source; the empty string when there is no address.</summary>
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return string.Empty;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>The same for an address as text; text that is not an address is its own key.</summary>
    public static string Of(string? address) =>
        IPAddress.TryParse(address, out var parsed) ? Of(parsed) : address ?? string.Empty;
}
