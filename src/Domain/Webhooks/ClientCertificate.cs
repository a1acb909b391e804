using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Causeloop.Domain.Webhooks;

/// <summary>
/// The rule for an mtls webhook's client certificate (SPEC §17), checked when it is set so that a delivery never finds
/// out: PEM certificates (the client's first, then any intermediates), the private key of the first, valid now, and
/// allowed for client authentication when it names its uses. The messages never quote the key.
/// </summary>
public static class ClientCertificate
{
    /// <summary>The extended key usage "TLS client authentication" (RFC 5280 §4.2.1.12).</summary>
    public const string ClientAuthenticationUsage = "1.3.6.1.5.5.7.3.2";

    /// <summary>Null when the certificate and key can be presented at <paramref name="now"/>, else the reason.</summary>
    public static string? Validate(string certificatePem, string privateKeyPem, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        X509Certificate2 withKey;
        try
        {
            if (Chain(certificatePem).Count == 0)
            {
                return "certificate_pem holds no PEM certificate (-----BEGIN CERTIFICATE-----).";
            }

            withKey = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
        }
        catch (CryptographicException)
        {
            return "certificate_pem and private_key_pem must be a PEM certificate and its unencrypted PEM private key (RSA, EC or PKCS#8).";
        }
        catch (ArgumentException)
        {
            return "private_key_pem is not the private key of the first certificate in certificate_pem.";
        }

        using (withKey)
        {
            if (now < withKey.NotBefore.ToUniversalTime() || now > withKey.NotAfter.ToUniversalTime())
            {
                return $"The certificate is valid from {withKey.NotBefore.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} to {withKey.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}, not now.";
            }

            var usages = withKey.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
            return usages is null || usages.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthenticationUsage)
                ? null
                : "The certificate does not allow TLS client authentication (its extended key usage lacks clientAuth).";
        }
    }

    /// <summary>The first certificate's subject and end of validity, to show (the certificate is not a secret).</summary>
    public static (string Subject, DateTimeOffset ExpiresAt) Describe(string certificatePem)
    {
        var chain = Chain(certificatePem);
        try
        {
            return (chain[0].Subject, chain[0].NotAfter.ToUniversalTime());
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Every certificate of the PEM text, in order.</summary>
    public static X509Certificate2Collection Chain(string certificatePem)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(certificatePem);
        return chain;
    }
}
