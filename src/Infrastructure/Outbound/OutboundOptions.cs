using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Causeloop.Infrastructure.Outbound;

/// <summary><c>Causeloop:Outbound:*</c>: how deliveries and token requests reach the network.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Causeloop:Outbound";

    /// <summary>Let deliveries connect to loopback and private addresses (Development and tests only). Default: true in Development.</summary>
    public bool? AllowPrivateNetworks { get; set; }

    /// <summary>
    /// An HTTP CONNECT proxy, <c>http://host:port</c>, that every delivery and token request goes through (fixed egress
    /// addresses for receivers' allow-lists). The SSRF guard vets the target's address before the proxy is asked for it.
    /// </summary>
    public string? Proxy { get; set; }

    /// <summary>A PEM file of extra trusted root certificates, for endpoints behind a private CA (certificates are always verified).</summary>
    public string? ExtraRootCertificates { get; set; }

    public IEnumerable<string> Problems()
    {
        if (Proxy is not null && ProxyProblem(Proxy) is { } proxy)
        {
            yield return $"{Section}:Proxy {proxy}";
        }

        if (ExtraRootCertificates is not null && RootsProblem(ExtraRootCertificates) is { } roots)
        {
            yield return $"{Section}:ExtraRootCertificates {roots}";
        }
    }

    /// <summary>The proxy's host and port; null when none is set.</summary>
    public Uri? ProxyUri() => Proxy is null ? null : new Uri(Proxy, UriKind.Absolute);

    /// <summary>The certificates of <see cref="ExtraRootCertificates"/>; null when none is set.</summary>
    public X509Certificate2Collection? ExtraRoots()
    {
        if (ExtraRootCertificates is null)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(ExtraRootCertificates);
        return roots;
    }

    private static string? ProxyProblem(string proxy) =>
        Uri.TryCreate(proxy, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !uri.IsDefaultPort
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.UserInfo.Length == 0
            ? null
            : $"must be http://host:port (an HTTP CONNECT proxy, with its port, and no path or credentials), not '{proxy}'.";

    private string? RootsProblem(string path)
    {
        try
        {
            return ExtraRoots()!.Count == 0 ? $"names '{path}', which holds no PEM certificate." : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return $"names '{path}', which cannot be read as PEM certificates: {e.Message}";
        }
    }
}
