using System.Net;
using System.Net.Sockets;
using Causeloop.Domain.Deliveries;

namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// The SSRF guard, as <see cref="SocketsHttpHandler.ConnectCallback"/>: resolve the host, drop every address the
/// policy forbids, and connect to a vetted address itself, so a DNS answer cannot change between check and use.
/// HTTP/3 stays off: QUIC does not go through <see cref="SocketsHttpHandler.ConnectCallback"/>, so it would bypass
/// this guard. The sender asks for HTTP/1.1 with <see cref="HttpVersionPolicy.RequestVersionOrLower"/>, and no
/// Alt-Svc upgrade can move a request to QUIC.
/// </summary>
public static class GuardedConnector
{
    public static SocketsHttpHandler CreateHandler(bool allowPrivateNetworks) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        // Header values from customers (an ordering key) may hold any printable character: sent as UTF-8.
        RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateNetworks, cancellationToken),
    };

    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var vetted = allowPrivateNetworks ? addresses : addresses.Where(a => !OutboundAddressPolicy.IsForbidden(a)).ToArray();
        if (vetted.Length == 0)
        {
            throw new OutboundAddressRefusedException();
        }

        Exception? last = null;
        foreach (var address in vetted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                last = e;
                if (e is OperationCanceledException)
                {
                    throw;
                }
            }
        }

        throw last!;
    }
}
