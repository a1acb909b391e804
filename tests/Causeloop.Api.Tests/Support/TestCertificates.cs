using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Causeloop.Api.Tests.Support;

/// <summary>
/// A throwaway certificate authority made in-process (<see cref="CertificateRequest"/>), and the certificates it issues:
/// a server certificate for 127.0.0.1 and client certificates, each also as the PEM a user would paste.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name = "Causeloop Test CA")
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Authority { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    /// <summary>A server certificate for <paramref name="names"/> (IP addresses or DNS names), with its key, ready for Kestrel.</summary>
    public X509Certificate2 Server(params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomSerial());
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux wants a certificate whose key it can use for TLS: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A client certificate (clientAuth) as PEM: the certificate and its PKCS#8 private key.</summary>
    public (string CertificatePem, string PrivateKeyPem, string Subject) Client(string commonName, DateTimeOffset? notAfter = null, bool clientAuth = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(clientAuth ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        using var issued = request.Create(Authority, end.AddDays(-60), end, RandomSerial());
        return (issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), issued.Subject);
    }

    /// <summary>Writes the authority's PEM to a temporary file (for <c>Causeloop:Outbound:ExtraRootCertificates</c>).</summary>
    public string WriteAuthority()
    {
        var path = Path.Combine(Path.GetTempPath(), $"causeloop-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, AuthorityPem);
        return path;
    }

    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
    }

    private static byte[] RandomSerial() => RandomNumberGenerator.GetBytes(16);
}
