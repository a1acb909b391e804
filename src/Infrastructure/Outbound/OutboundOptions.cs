using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Causeloop.Infrastructure.Outbound;

/// <summary><c>Causeloop:Outbound:*</c>: how deliveries and token requests reach the network.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Causeloop:Outbound";

    /// <summary>Let deliveries connect to loopback and private addresses (Development and tests only). Default: true in Development.</summary>
    public bool? AllowPrivateNetworks { get; set; }

    /// <summary>A PEM file of extra trusted root certificates, for endpoints behind a private CA (certificates are always verified).</summary>
    public string? ExtraRootCertificates { get; set; }

    public IEnumerable<string> Problems()
    {
        if (ExtraRootCertificates is not null && RootsProblem(ExtraRootCertificates) is { } roots)
        {
            yield return $"{Section}:ExtraRootCertificates {roots}";
        }
    }

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
