using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Causeloop.Domain.Deliveries;

namespace Causeloop.Infrastructure.Outbound;

/// <summary>
/// The SSRF guard, as <see cref="SocketsHttpHandler.ConnectCallback"/>: resolve the host, drop every address the
/// policy forbids, and connect to a vetted address itself, so a DNS answer cannot change between check and use. With
/// an egress proxy, the vetted address is what the proxy is asked to connect to (<see cref="EgressProxy"/>), so the
/// guard holds through it. HTTP/3 stays off: QUIC does not go through <see cref="SocketsHttpHandler.ConnectCallback"/>,
/// so it would bypass this guard. The sender asks for HTTP/1.1 with <see cref="HttpVersionPolicy.RequestVersionOrLower"/>,
/// and no Alt-Svc upgrade can move a request to QUIC. Every outbound handler is made here: the shared one, and one per
/// client certificate (mtls), so none can skip the guard.
/// </summary>
public static class GuardedConnector
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>A handler that connects through the guard (and the proxy), trusts the extra roots and presents <paramref name="clientCertificate"/>, if any.</summary>
    public static SocketsHttpHandler CreateHandler(OutboundNetwork network, SslStreamCertificateContext? clientCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            // Header values from customers (an ordering key, a static header) may hold any printable character: sent as UTF-8.
            RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, network, cancellationToken),
        };
        if (network.ExtraRoots is { } roots)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trusted(certificate, chain, errors, roots);
        }

        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificateContext = clientCertificate;
        }

        return handler;
    }

    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, OutboundNetwork network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(network);
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var vetted = network.AllowPrivateNetworks ? addresses : addresses.Where(a => !OutboundAddressPolicy.IsForbidden(a)).ToArray();
        if (vetted.Length == 0)
        {
            throw new OutboundAddressRefusedException();
        }

        Exception? last = null;
        foreach (var address in vetted)
        {
            if (network.Proxy is { } proxy)
            {
                try
                {
                    return await EgressProxy.ConnectAsync(proxy, new IPEndPoint(address, endpoint.Port), cancellationToken);
                }
                catch (Exception e) when (e is EgressProxyException or SocketException or IOException)
                {
                    last = e;
                    continue;
                }
            }

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

    /// <summary>
    /// The certificate is trusted by the system, or its chain ends at one of the extra roots. Only a chain error is
    /// excused by the extra roots: a name that does not match, or no certificate, never is.
    /// </summary>
    private static bool Trusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 leaf)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (chain is not null)
        {
            // The intermediates the server sent.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return custom.Build(leaf);
    }
}
