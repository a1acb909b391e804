using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// Opens a tunnel through the HTTP CONNECT proxy (RFC 9110 §9.3.6) to an address the SSRF guard already vetted: the
/// request names the IP address, never the host, so the proxy cannot resolve the name to another address. The stream
/// returned is the tunnel; TLS (with the endpoint's own name) runs inside it.
/// </summary>
public static class EgressProxy
{
    private const int MaxResponseHeader = 16 * 1024;

    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint proxy, IPEndPoint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(target);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            try
            {
                await socket.ConnectAsync(proxy.Host, proxy.Port, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new EgressProxyException("the egress proxy cannot be reached", e);
            }

            var stream = new NetworkStream(socket, ownsSocket: true);
            var authority = target.AddressFamily == AddressFamily.InterNetworkV6
                ? $"[{target.Address}]:{target.Port.ToString(CultureInfo.InvariantCulture)}"
                : $"{target.Address}:{target.Port.ToString(CultureInfo.InvariantCulture)}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"), cancellationToken);
            var status = await ReadStatusAsync(stream, cancellationToken);
            if (status is < 200 or > 299)
            {
                throw new EgressProxyException($"the egress proxy answered {status.ToString(CultureInfo.InvariantCulture)} to CONNECT");
            }

            return stream;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The status of the proxy's answer, read up to its blank line and not a byte further: what follows belongs to the
    /// tunnel. One byte at a time, once per connection.
    /// </summary>
    private static async Task<int> ReadStatusAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[MaxResponseHeader];
        var length = 0;
        while (length < 4 || !header.AsSpan(length - 4, 4).SequenceEqual("\r\n\r\n"u8))
        {
            if (length == header.Length)
            {
                throw new EgressProxyException("the egress proxy's answer to CONNECT is too long");
            }

            if (await stream.ReadAsync(header.AsMemory(length, 1), cancellationToken) == 0)
            {
                throw new EgressProxyException("the egress proxy closed the connection before answering CONNECT");
            }

            length++;
        }

        // "HTTP/1.1 200 Connection established"
        var statusLine = Encoding.ASCII.GetString(header, 0, header.AsSpan(0, length).IndexOf("\r\n"u8));
        var parts = statusLine.Split(' ', 3);
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status
            : throw new EgressProxyException("the egress proxy's answer to CONNECT is not HTTP");
    }
}
