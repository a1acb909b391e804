using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Domain.Tests;

/// <summary>SPEC §17: what <c>auth</c> an outbound webhook may carry, and how long a token is reused.</summary>
public sealed class EndpointAuthTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static EndpointAuth OAuth2 => new()
    {
        Type = EndpointAuth.OAuth2ClientCredentials, TokenUrl = "https://auth.example.com/oauth/token", ClientId = "causeloop", ClientSecret = "s3cr3t",
    };

    [Test]
    public void Client_credentials_with_or_without_scope_audience_and_method_are_accepted()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EndpointAuth.Validate(OAuth2, "http://example.com/h", Now), Is.Null);
            Assert.That(EndpointAuth.Validate(OAuth2 with { Scope = "a b", Audience = "https://api", TokenEndpointAuthMethod = EndpointAuth.ClientSecretPost }, null, Now), Is.Null);
            Assert.That(EndpointAuth.Validate(OAuth2 with { TokenEndpointAuthMethod = EndpointAuth.ClientSecretBasic }, null, Now), Is.Null);
            Assert.That(EndpointAuth.Validate(null, null, Now), Is.Null);
        });
    }

    [Test]
    public void Client_credentials_missing_or_wrong_fields_are_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EndpointAuth.Validate(OAuth2 with { TokenUrl = null }, null, Now), Does.StartWith("token_url"));
            Assert.That(EndpointAuth.Validate(OAuth2 with { TokenUrl = "https://u:p@auth.example.com/t" }, null, Now), Does.StartWith("token_url"));
            Assert.That(EndpointAuth.Validate(OAuth2 with { ClientId = "" }, null, Now), Does.StartWith("client_id"));
            Assert.That(EndpointAuth.Validate(OAuth2 with { ClientSecret = null }, null, Now), Does.StartWith("client_secret"));
            Assert.That(EndpointAuth.Validate(OAuth2 with { ClientSecret = new string('s', 1025) }, null, Now), Does.StartWith("client_secret"));
            Assert.That(EndpointAuth.Validate(OAuth2 with { Scope = "a\nb" }, null, Now), Does.StartWith("scope"));
            Assert.That(EndpointAuth.Validate(OAuth2 with { TokenEndpointAuthMethod = "private_key_jwt" }, null, Now), Does.StartWith("token_endpoint_auth_method"));
            Assert.That(EndpointAuth.Validate(OAuth2 with { PrivateKeyPem = "k" }, null, Now), Does.Contain("belong to mtls"));
            Assert.That(EndpointAuth.Validate(OAuth2 with { Type = "basic" }, null, Now), Does.StartWith("type must be one of"));
        });
    }

    [Test]
    public void A_client_certificate_with_its_key_is_accepted_for_an_https_url_only()
    {
        var (certificate, key) = Issue(Now.AddDays(-1), Now.AddDays(30), clientAuth: true);
        var mtls = new EndpointAuth { Type = EndpointAuth.MutualTls, CertificatePem = certificate, PrivateKeyPem = key };
        Assert.Multiple(() =>
        {
            Assert.That(EndpointAuth.Validate(mtls, "https://example.com/h", Now), Is.Null);
            Assert.That(EndpointAuth.Validate(mtls, "http://example.com/h", Now), Does.Contain("https"));
            Assert.That(EndpointAuth.UrlProblem(EndpointAuth.MutualTls, "http://example.com/h"), Does.Contain("https"));
            Assert.That(EndpointAuth.UrlProblem(EndpointAuth.OAuth2ClientCredentials, "http://example.com/h"), Is.Null);
            Assert.That(ClientCertificate.Describe(certificate).Subject, Is.EqualTo("CN=client"));
        });
    }

    [Test]
    public void A_client_certificate_that_cannot_be_presented_is_refused_without_quoting_the_key()
    {
        var (certificate, key) = Issue(Now.AddDays(-1), Now.AddDays(30), clientAuth: true);
        var (_, otherKey) = Issue(Now.AddDays(-1), Now.AddDays(30), clientAuth: true);
        var (expired, expiredKey) = Issue(Now.AddDays(-30), Now.AddDays(-1), clientAuth: true);
        var (serverOnly, serverKey) = Issue(Now.AddDays(-1), Now.AddDays(30), clientAuth: false);
        string? Refusal(string c, string k) => EndpointAuth.Validate(new EndpointAuth { Type = EndpointAuth.MutualTls, CertificatePem = c, PrivateKeyPem = k }, "https://e/h", Now);
        Assert.Multiple(() =>
        {
            Assert.That(Refusal(certificate, otherKey), Does.Contain("not the private key of the first certificate"));
            Assert.That(Refusal(expired, expiredKey), Does.Contain("not now"));
            Assert.That(Refusal(serverOnly, serverKey), Does.Contain("clientAuth"));
            Assert.That(Refusal("not a pem", key), Does.Contain("no PEM certificate"));
            Assert.That(Refusal(certificate, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"), Does.Contain("unencrypted PEM private key"));
            Assert.That(new[] { Refusal(certificate, otherKey), Refusal(expired, expiredKey) }, Has.None.Contains("PRIVATE KEY"));
            Assert.That(EndpointAuth.Validate(new EndpointAuth { Type = EndpointAuth.MutualTls, CertificatePem = certificate, PrivateKeyPem = key, ClientId = "c" }, "https://e/h", Now),
                Does.Contain("certificate_pem and private_key_pem only"));
        });
    }

    [Test]
    public void Printing_auth_never_shows_its_secret()
    {
        var (certificate, key) = Issue(Now.AddDays(-1), Now.AddDays(30), clientAuth: true);
        Assert.Multiple(() =>
        {
            Assert.That(OAuth2.ToString(), Does.Not.Contain("s3cr3t").And.Contain("causeloop"));
            Assert.That(new EndpointAuth { Type = EndpointAuth.MutualTls, CertificatePem = certificate, PrivateKeyPem = key }.ToString(), Does.Not.Contain("PRIVATE KEY"));
        });
    }

    [Test]
    public void A_token_is_reused_until_60_seconds_before_it_expires_and_one_without_expiry_until_refused()
    {
        var obtained = Now;
        var until = AccessTokenLifetime.ReusableUntil(obtained, TimeSpan.FromSeconds(3600));
        Assert.Multiple(() =>
        {
            Assert.That(until, Is.EqualTo(obtained.AddSeconds(3540)));
            Assert.That(AccessTokenLifetime.IsReusable(until, obtained.AddSeconds(3539)), Is.True);
            Assert.That(AccessTokenLifetime.IsReusable(until, obtained.AddSeconds(3540)), Is.False);
            Assert.That(AccessTokenLifetime.IsReusable(AccessTokenLifetime.ReusableUntil(obtained, TimeSpan.FromSeconds(60)), obtained), Is.False, "a token of 60 s serves its own attempt only");
            Assert.That(AccessTokenLifetime.ReusableUntil(obtained, null), Is.Null);
            Assert.That(AccessTokenLifetime.IsReusable(null, obtained.AddYears(1)), Is.True);
        });
    }

    private static (string Certificate, string Key) Issue(DateTimeOffset notBefore, DateTimeOffset notAfter, bool clientAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(clientAuth ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
